import pytest

from coursesite.people.models import Membership, User
from tests.factories import CohortFactory, MembershipFactory, UserFactory, make_course, with_mfa


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def cohort(db):
    return CohortFactory()


@pytest.fixture
def other_cohort(db):
    return CohortFactory()


@pytest.fixture
def trainee(cohort) -> User:
    user = UserFactory(email="trainee@example.test")
    MembershipFactory(cohort=cohort, user=user)
    return user


@pytest.fixture
def other_trainee(other_cohort) -> User:
    user = UserFactory(email="other.trainee@example.test")
    MembershipFactory(cohort=other_cohort, user=user)
    return user


@pytest.fixture
def supervisor(cohort) -> User:
    user = with_mfa(UserFactory(email="supervisor@example.test", role=User.Role.SUPERVISOR))
    MembershipFactory(cohort=cohort, user=user, role=Membership.Role.SUPERVISOR)
    return user


@pytest.fixture
def other_supervisor(other_cohort) -> User:
    user = with_mfa(UserFactory(email="other.supervisor@example.test", role=User.Role.SUPERVISOR))
    MembershipFactory(cohort=other_cohort, user=user, role=Membership.Role.SUPERVISOR)
    return user


@pytest.fixture
def editor(db) -> User:
    from django.contrib.auth.models import Group

    user = with_mfa(UserFactory(email="editor@example.test", role=User.Role.EDITOR))
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def admin_user(db) -> User:
    return with_mfa(UserFactory(email="admin@example.test", role=User.Role.ADMIN, is_staff=True, is_superuser=True))


@pytest.fixture
def course(db):
    return make_course(lessons=3)
