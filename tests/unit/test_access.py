"""core/access.py: which features a page offers, from the person's Looker roles."""

from __future__ import annotations

import pytest

from looker_pkce.core import access


def test_permissions_are_the_union_of_every_roles_permission_set():
    roles = [{"permission_set": {"permissions": ["a", "b"]}}, {"permission_set": None},
             {"permission_set": {"permissions": None}}, {}, {"permission_set": {"permissions": ["c"]}}]
    assert access.permissions(roles) == {"a", "b", "c"}
    assert access.permissions([]) == set()


def test_an_all_access_set_grants_everything_even_with_no_permissions_listed():
    granted = access.permissions([{"permission_set": {"all_access": True}}])
    assert granted == {access.EVERYTHING}
    assert access.may(granted, "explore") and access.may(granted, "save")
    assert access.permissions([{"permission_set": {"all_access": False, "permissions": []}}]) == set()


@pytest.mark.parametrize("granted,feature,allowed", [
    ({"explore"}, "explore", True), ({"explore"}, "save", False), ({"save_content"}, "save", True),
    ({"save_content"}, "explore", False), (set(), "save", False), (None, "save", True),
])
def test_a_feature_is_offered_only_with_the_permission_looker_checks_for_it(granted, feature, allowed):
    assert access.may(granted, feature) is allowed


def test_the_roles_are_read_at_the_persons_own_id_as_one_path_segment():
    assert access.roles_path({"id": "5", "email": "x@example.com"}) == "users/5/roles"
    assert access.roles_path({"id": 12}) == "users/12/roles"  # an older Looker's integer id
    assert access.roles_path({"id": "../1"}) == "users/..%2F1/roles"
