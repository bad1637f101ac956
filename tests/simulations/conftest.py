import pytest

from simulations import services
from tests.factories import make_course, make_simulation


@pytest.fixture
def office_course(db):
    return make_course(lessons=0, slug="office-course")


@pytest.fixture
def sim_page(office_course):
    return make_simulation(office_course, scenario="s2-follow-up-two-weeks")


@pytest.fixture
def shift(sim_page, trainee):
    return services.shift_start(learner=trainee, page=sim_page, seed="seed-0")


@pytest.fixture
def other_shift(sim_page, other_trainee):
    return services.shift_start(learner=other_trainee, page=sim_page, seed="seed-0")
