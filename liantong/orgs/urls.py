from django.urls import path

from . import views

app_name = "orgs"


def crud(prefix, list_view, edit_view, detail_view=None):
    out = [path(f"{prefix}/", list_view.as_view(), name=f"{prefix}_list"),
           path(f"{prefix}/new/", edit_view.as_view(), name=f"{prefix}_create"),
           path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}_edit")]
    if detail_view is not None:
        out.append(path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"))
    return out


urlpatterns = [
    *crud("chain", views.ChainList, views.ChainEdit, views.ChainDetail),
    *crud("enterprise", views.EnterpriseList, views.EnterpriseEdit, views.EnterpriseDetail),
    *crud("partyorg", views.PartyOrgList, views.PartyOrgEdit, views.PartyOrgDetail),
    path("chain/<int:pk>/nodes/", views.chain_nodes, name="chain_nodes"),
    path("enterprise/<int:pk>/membership/", views.enterprise_membership, name="enterprise_membership"),
    path("partyorg/tree/", views.partyorg_tree, name="partyorg_tree"),
    *crud("member", views.MemberList, views.MemberEdit, views.MemberDetail),
    path("transfer/", views.TransferList.as_view(), name="transfer_list"),
    path("transfer/new/", views.transfer_create, name="transfer_create"),
    path("transfer/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfer/<int:pk>/transition/", views.transfer_transition, name="transfer_transition"),
    *crud("cultivation", views.CultivationList, views.CultivationEdit, views.CultivationDetail),
    path("cultivation/<int:pk>/transition/", views.cultivation_transition, name="cultivation_transition"),
    *crud("pairing", views.PairingList, views.PairingEdit, views.PairingDetail),
    *crud("vanguard", views.VanguardList, views.VanguardEdit, views.VanguardDetail),
    *crud("department", views.DepartmentList, views.DepartmentEdit, views.DepartmentDetail),
    *crud("institution", views.InstitutionList, views.InstitutionEdit, views.InstitutionDetail),
    path("import/", views.import_view, name="import"),
    path("import/template/<slug:kind>/", views.import_template, name="import_template"),
]
