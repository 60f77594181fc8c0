"""The one URL shape of every state machine, built from its ``Workflow`` declaration:

* ``GET  /api/v1/<things>/{id}/transitions`` — the moves the caller may make now (action, label, target
  state, whether a note is required);
* ``POST /api/v1/<things>/{id}/transitions`` with ``{"action": ..., "note": ..., "expected_state": ...,
  ...params}`` — make one move; answers the moved object (200), or a Chinese ``detail`` with 400 (a field
  is wrong; ``field`` names it), 403 (the role may not), 404 (out of scope), 409 (illegal in this state,
  or ``expected_state`` is no longer the state: someone was faster).

A strand calls ``transition_endpoints(router, WORKFLOW, path="things", out=ThingOut)`` once in its api.py.
"""

import inspect
from collections.abc import Callable

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from .workflow import Workflow


class TransitionIn(Schema):
    action: str = Field(..., max_length=40, description="操作（见 GET …/transitions）")
    note: str = Field("", max_length=5000, description="说明：理由、办理结果、回复等")
    expected_state: str | None = Field(None, max_length=40,
                                       description="页面上看到的状态；已变化则 409（已被他人处理）")


class TransitionOptionOut(Schema):
    action: str
    label: str
    to_state: str
    needs_note: bool
    note_label: str


class TransitionRefusal(Schema):
    detail: str
    field: str | None = None


def transition_endpoints(router: Router, workflow: Workflow, *, path: str, out, render: Callable | None = None,
                         params: type[Schema] | None = None,
                         prepare: Callable[[object, object, str, dict], dict] | None = None) -> None:
    """Add ``GET`` and ``POST /{path}/{pk}/transitions`` for ``workflow`` to ``router``.

    ``out``: the response schema of the moved object (``render(obj)`` builds it, default the object; a
    ``render(obj, user)`` of two parameters gets the caller, for answers that depend on who asks).
    ``params``: a schema of the extra body fields the effects take (e.g. ``lead``, ``days``); ``prepare
    (request, obj, action, params) -> params`` turns ids into objects through the scoping layer (or raises
    a ``TransitionError`` with ``field``). The object is read through ``visible_to`` (404 otherwise)."""
    model = workflow.model
    name = model.__name__
    body = type(f"{name}TransitionIn", (TransitionIn, params) if params else (TransitionIn,),
                {"__module__": __name__, "__doc__": f"{workflow.noun}流转"})
    render = render or (lambda obj: obj)
    if len(inspect.signature(render).parameters) == 1:
        render = (lambda one: lambda obj, user: one(obj))(render)

    def list_transitions(request, pk: int):
        obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
        return [{"action": m.action, "label": m.label, "to_state": m.target, "needs_note": m.needs_note,
                 "note_label": workflow.note_labels.get(m.action, "说明") if m.needs_note else ""}
                for m in workflow.allowed_actions(obj, request.user)]

    def make_transition(request, pk: int, payload: body):  # type: ignore[valid-type]
        obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
        data = payload.dict()
        action, note, expected = data.pop("action"), data.pop("note"), data.pop("expected_state")
        extra = {k: v for k, v in data.items() if v is not None}
        if prepare is not None:
            extra = prepare(request, obj, action, extra)
        moved = workflow.transition(obj, action, actor=request.user, note=note, expected_state=expected or None,
                                    **extra)
        return Status(200, render(moved, request.user))

    router.get(f"/{path}/{{pk}}/transitions", response=list[TransitionOptionOut],
               operation_id=f"{path.replace('-', '_')}_transitions_list",
               summary=f"{workflow.noun}：当前可执行的操作")(list_transitions)
    refusals = {code: TransitionRefusal for code in (400, 403, 404, 409)}
    router.post(f"/{path}/{{pk}}/transitions", response={200: out, **refusals},
                operation_id=f"{path.replace('-', '_')}_transition",
                summary=f"{workflow.noun}流转（" + "、".join(dict.fromkeys(m.label for m in workflow.moves
                                                                            if m.action not in workflow.hidden))
                + "）")(make_transition)
