"""The nominee's form (附件2/附件3 with résumé, awards, punishments, claimed conditions,
justifications and photo), saved as one change; the htmx autosave reports beside it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laurel.core import permissions
from laurel.core.http import apply_service_errors
from laurel.nominations.forms import (
    ConditionsForm,
    NomineeForm,
    RecordFormSet,
    ResumeFormSet,
    formset_rows,
    initial_rows,
)
from laurel.nominations.services import nominees as service
from laurel.nominations.views.nominees import nominee_or_404, status_panel, submit


def _edit_forms(request, nominee):
    """The page's forms. Résumé and records are replaced as a whole on save, so a bound
    formset takes only what was posted (blank rows are skipped), never the stored rows."""
    bound = request.method == "POST"
    data = request.POST if bound else None
    form = NomineeForm(data, instance=nominee, kind=nominee.kind, campaign=nominee.campaign)
    fields = ("date", "issuer", "text", "level", "treatment")

    def initial(queryset, names):
        return None if bound else initial_rows(queryset, names)

    resume = ResumeFormSet(
        data,
        prefix="resume",
        initial=initial(nominee.resume.order_by("sort_order"), ("start", "end", "text")),
    )
    awards = RecordFormSet(
        data, prefix="award", initial=initial(nominee.records.filter(kind="award"), fields)
    )
    punishments = RecordFormSet(
        data,
        prefix="punishment",
        initial=initial(nominee.records.filter(kind="punishment"), fields),
    )
    conditions = ConditionsForm(
        data,
        category=nominee.category,
        initial={"conditions": [str(c.condition_id) for c in nominee.claims.all()]},
    )
    return form, resume, awards, punishments, conditions


def _save(request, nominee, form, resume, awards, punishments, conditions) -> None:
    service.save_nominee_form(
        request.user,
        nominee,
        fields=form.values(),
        resume=formset_rows(resume) if nominee.is_individual else None,
        awards=formset_rows(awards),
        punishments=formset_rows(punishments),
        conditions=conditions.cleaned_data["conditions"],
        justifications={
            key.removeprefix("justify-"): value
            for key, value in request.POST.items()
            if key.startswith("justify-")
        },
        photo=request.FILES.get("photo"),
    )


def _save_valid_parts(request, nominee, form, resume, awards, punishments, conditions) -> bool:
    """Issue 20: one bad field (an ID checksum, a photo) threw the whole draft away. Save the
    fields and parts that are valid; the invalid ones stay as they were and are listed at the
    top of the page, linked to their fields."""
    fields = {
        name: value
        for name, value in form.cleaned_data.items()
        if name in form.fields and name not in form.errors
    }
    try:
        service.save_nominee_form(
            request.user,
            nominee,
            fields=fields,
            resume=formset_rows(resume) if nominee.is_individual and resume.is_valid() else None,
            awards=formset_rows(awards) if awards.is_valid() else None,
            punishments=formset_rows(punishments) if punishments.is_valid() else None,
            conditions=conditions.cleaned_data["conditions"] if conditions.is_valid() else None,
            justifications={
                key.removeprefix("justify-"): value
                for key, value in request.POST.items()
                if key.startswith("justify-")
            },
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    photo = request.FILES.get("photo")
    if photo and not form.has_error("__all__"):
        try:
            service.set_photo(request.user, nominee, photo)
        except ValidationError as error:
            form.add_error(None, _("照片未保存：%s") % "；".join(error.messages))
    for label, formset in ((_("简历"), resume), (_("奖励"), awards), (_("处分"), punishments)):
        if formset.is_bound and not formset.is_valid():
            form.add_error(None, _("%s有填写错误的行，本次未保存，请按提示修改。") % label)
    if conditions.is_bound and not conditions.is_valid():
        form.add_error(None, _("评选条件未保存，请按提示修改。"))
    return True


@login_required
def nominee_edit(request, pk):
    """The whole form (附件2/附件3) saved as one change; the htmx autosave reports on the side."""
    nominee = nominee_or_404(request, pk)
    refusal = permissions.not_now(request.user, "nominations.edit_nominee", nominee)
    if refusal:
        messages.error(request, refusal)
        return redirect("nominations:detail", pk=pk)
    form, resume, awards, punishments, conditions = _edit_forms(request, nominee)
    saved = None
    kept = False
    if request.method == "POST":
        saved = all(f.is_valid() for f in (form, resume, awards, punishments, conditions))
        if saved:
            try:
                _save(request, nominee, form, resume, awards, punishments, conditions)
            except ValidationError as error:
                saved = False
                apply_service_errors(form, error)  # e.g. the photo: the rest is kept below
        if not saved:
            kept = _save_valid_parts(
                request, nominee, form, resume, awards, punishments, conditions
            )
        nominee = nominee_or_404(request, pk)
        if request.htmx:  # autosave: report, keep the page as the user has it
            return render(
                request,
                "nominations/_status.html",
                {**status_panel(nominee), "autosaved": saved, "kept": kept, "form": form},
            )
        if saved:
            messages.success(request, _("已保存草稿。"))
            if request.POST.get("then") == "submit":
                return submit(request, nominee)
            return redirect("nominations:edit", pk=pk)
        if kept:
            messages.warning(
                request,
                _("已保存填写正确的内容；下列标红的项目未保存，请修改后再保存。"),
            )
    return render(
        request,
        "nominations/nominee_edit.html",
        {
            **status_panel(nominee),
            "form": form,
            "sections": list(form.sections(nominee.kind)),
            "resume": resume,
            "awards": awards,
            "punishments": punishments,
            "conditions": conditions,
        },
    )
