import pytest

from simulations import call_services
from tests.factories import make_call_page, make_course


@pytest.fixture
def call_course(db):
    return make_course(lessons=0, slug="call-course")


@pytest.fixture
def call_page(call_course):
    return make_call_page(call_course, call_id="t1-angry-bill", slug="angry-bill")


@pytest.fixture
def session(call_page, trainee):
    return call_services.call_session_start(learner=trainee, page=call_page)
