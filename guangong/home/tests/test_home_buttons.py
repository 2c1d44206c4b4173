"""The home page starts each user's daily work: buttons by what their role may do, and this
month's figures of their organisation."""

from guangong.activities.tests.conftest import record
from guangong.core import dates
from guangong.core.tests.support import text


def buttons(client, user) -> str:
    html = client(user).get("/").content.decode()
    return html[
        html.index('data-testid="home-buttons"') : html.index("</nav>", html.index("home-buttons"))
    ]


def test_a_clerk_records_and_finds_their_own(client_for, tree, a_clerk, a_viewer):
    clerk = buttons(client_for, a_clerk)
    for label in ("登记活动", "我登记的", "待办"):
        assert label in clerk
    assert 'href="/activities/quick/"' in clerk and 'href="/activities/?mine=1"' in clerk
    viewer = buttons(client_for, a_viewer)
    assert "待办" in viewer and "登记活动" not in viewer  # a viewer records nothing
    assert "用户管理" not in clerk


def test_recorded_by_me_lists_only_the_users_own(client_for, tree, types, a_clerk, a_admin):
    record(a_clerk, tree.county_a, types["talk"], title="我的宣讲")
    record(a_admin, tree.county_a, types["talk"], title="别人的宣讲")
    body = text(client_for(a_clerk).get("/activities/", {"mine": "1"}))
    assert "我的宣讲" in body and "别人的宣讲" not in body
    both = text(client_for(a_clerk).get("/activities/"))
    assert "我的宣讲" in both and "别人的宣讲" in both


def test_this_months_figures_count_the_organisations_activities(
    client_for, tree, types, a_admin, b_admin
):
    today = dates.today()
    record(a_admin, tree.county_a, types["talk"], day=today, participants=40)
    record(a_admin, tree.township, types["talk"], day=today, participants=15)
    record(b_admin, tree.county_b, types["talk"], day=today, participants=99)  # another county
    response = client_for(a_admin).get("/")
    figures = response.context["month_figures"]
    assert (figures.sessions, figures.participants) == (2, 55)
    body = text(response)
    assert "本月" in body and '55 <small class="fs-6 fw-normal">人次' in body
