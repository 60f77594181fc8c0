"""Reads of the resources app that are more than a ``visible_to`` filter: the zone figures."""

from __future__ import annotations

from .models import (
    ActionProject,
    DepartmentResource,
    JointMeeting,
    Resolution,
    ResolutionState,
    ServiceVisit,
    SharedResource,
)


def resource_stats(zone) -> dict:
    """This app's figures for one zone, each counted from the rows (DESIGN-NOTES 6)."""
    return {
        "shared_resources": SharedResource.objects.filter(zone=zone).count(),
        "service_visits": ServiceVisit.objects.filter(zone=zone).count(),
        "department_resources": DepartmentResource.objects.filter(zone=zone).count(),
        "action_projects": ActionProject.objects.filter(zone=zone).count(),
        "joint_meetings": JointMeeting.objects.filter(zone=zone).count(),
        "resolutions_open": Resolution.objects.filter(zone=zone).exclude(state=ResolutionState.DONE).count(),
    }
