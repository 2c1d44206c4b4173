"""A step shows the case's fields it requires inside its form, saves them with the step (or
neither), and whoever cannot act is told who holds the next step."""

from guangong.care.models import Case, Status
from guangong.care.services import cases, transitions
from guangong.core.tests.support import text


def test_the_assessment_is_written_where_the_step_is_taken(case, client_for, a_care):
    client = client_for(a_care)
    url = f"/care/{case.pk}/"
    transitions.transition(a_care, case, "submit")
    cases.record_consent(a_care, case, by="程母", relation="母亲", on=case.opened_on)
    body = client.get(url).content.decode()
    form = body[body.index('data-testid="action-form-assess"') :]
    form = form[: form.index("</form>")]
    assert 'name="assess-case-assessment"' in form and 'name="assess-case-plan"' in form

    # Left empty: refused on the fields themselves, on the case's page, nothing saved.
    response = client.post(
        f"{url}transition/",
        {"action": "assess", "assess-case-assessment": "情况属实", "assess-case-plan": ""},
    )
    assert response.status_code == 400
    assert "该字段是必填项" in text(response)
    case.refresh_from_db()
    assert (case.status, case.assessment) == (Status.ASSESSMENT, "")

    response = client.post(
        f"{url}transition/",
        {"action": "assess", "assess-case-assessment": "情况属实", "assess-case-plan": "资助"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assessment, case.plan) == (Status.APPROVAL, "情况属实", "资助")


def test_a_refused_step_keeps_the_fields_unsaved(case, client_for, a_care):
    # A minor without the guardian's consent: the step is refused and the text is not stored.
    client = client_for(a_care)
    transitions.transition(a_care, case, "submit")
    response = client.post(
        f"/care/{case.pk}/transition/",
        {"action": "assess", "assess-case-assessment": "属实", "assess-case-plan": "资助"},
    )
    assert response.status_code == 400 and "监护人" in text(response)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.assessment) == (Status.ASSESSMENT, "")
    html = response.content.decode()
    assert ">\n属实</textarea>" in html


def test_who_approves_is_named_for_whoever_cannot(case, client_for, a_care, tree):
    from guangong.care.tests.conftest import assess

    assess(a_care, case)
    body = text(client_for(a_care).get(f"/care/{case.pk}/"))
    assert 'data-testid="nothing-to-do"' in body
    assert f"由{tree.county_a.name}或{tree.city.name}的审批人审批" in body
