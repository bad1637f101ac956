import pytest
from simulations import services
from simulations.solutions import SOLUTIONS
from tests.factories import make_simulation, seed_for_variant
from simulations.models import Scenario

@pytest.mark.parametrize("key", ["p4-denial-work-queue"])
def test_probe(office_course, trainee, key):
    make_simulation(office_course, scenario=key, slug="probe")
    n = len(Scenario.objects.get(key=key).parsed.variants)
    for v in range(n):
        page = make_simulation(office_course, scenario=key, slug=f"{key}-{v}")
        shift = services.shift_start(learner=trainee, page=page, seed=seed_for_variant(key, v))
        from simulations.claims_selectors import denial_queue
        print(v, [(r.claim.number, r.rule.code, str(r.amount)) for r in denial_queue(shift=shift)])
        SOLUTIONS[key](shift)
        shift = services.shift_submit(shift=shift)
        print([(i["id"], i["passed"], i["detail"]) for i in shift.result["items"]])
