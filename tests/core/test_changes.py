"""What a mutation says it changed: the broadcast every view listens to is built from it."""

from __future__ import annotations

from evaldesk.desk import Desk
from evaldesk.records import Changes


def test_an_empty_change_is_false_and_unions_add_up() -> None:
    assert not Changes()
    both = Changes(programs=frozenset({(2024, "1")})) | Changes(links=frozenset({(2023, 2024)}))
    assert both and both.programs == {(2024, "1")} and both.links == {(2023, 2024)}
    assert both.program_ids(2024) == {"1"} and both.program_ids(2023) == frozenset()


def test_which_comparisons_a_change_touches() -> None:
    saved = Changes(programs=frozenset({(2024, "1")}))
    assert saved.touches_comparison(2023, 2024) and not saved.touches_comparison(2022, 2023)
    linked = Changes(links=frozenset({(2023, 2024)}))
    assert linked.touches_comparison(2024, 2023) and not linked.touches_year(2024)
    imported = Changes(years=frozenset({2022}))
    assert imported.touches_comparison(2022, 2023) and not imported.touches_comparison(2023, 2024)
    assert Changes(everything=True).touches_comparison(2001, 2002)


def test_mutations_say_what_they_changed(sample_desk: Desk) -> None:
    from tests.conftest import truth_table

    sample_desk.import_table(truth_table(title_year=2023), year=2023)
    change = sample_desk.update_program(2024, "1", {"purpose": "新しい目的。"})
    assert change.changes == Changes(programs=frozenset({(2024, "1")}))
    same = sample_desk.update_program(2024, "1", {"purpose": "新しい目的。"})
    assert not same.changes  # nothing was written, so no view needs to hear of it
    link = sample_desk.add_link(from_year=2023, from_program_id="2", to_year=2024, to_program_id="1")
    assert link.changes == Changes(links=frozenset({(2023, 2024)}))


def test_an_import_changes_its_year_and_a_dry_run_nothing(desk: Desk) -> None:
    from tests.conftest import truth_table

    assert not desk.import_table(truth_table(), year=2024, dry_run=True).changes
    assert desk.import_table(truth_table(), year=2024).changes == Changes(years=frozenset({2024}))
