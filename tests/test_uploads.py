"""The one failure policy of stored files (iok.uploads.storage_save): a file saved in a transaction that does
not commit is removed, whether its own block, a savepoint or the surrounding transaction rolls back."""

from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.db import transaction

from iok.uploads import storage_save


@pytest.fixture
def imports_storage(settings, tmp_path):
    settings.IMPORT_ROOT = str(tmp_path)  # the "imports" storage follows the setting, as tests expect
    return storages["imports"]


def test_the_imports_storage_writes_under_import_root(db, imports_storage, tmp_path):
    name = storage_save(storage=imports_storage, name="alfa/received/plik.csv", data=b"a;b\n")
    assert (tmp_path / name).read_bytes() == b"a;b\n"


def test_a_file_saved_in_a_savepoint_that_rolls_back_is_removed_and_one_that_is_released_stays(db,
                                                                                             imports_storage):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            dropped = storage_save(storage=imports_storage, name="alfa/dropped.csv", data=b"x")
            assert imports_storage.exists(dropped)
            raise RuntimeError("the savepoint rolls back")
        kept = storage_save(storage=imports_storage, name="alfa/kept.csv", data=b"y")
        assert (imports_storage.exists(dropped), imports_storage.exists(kept)) == (False, True)


def test_a_file_saved_in_a_transaction_that_rolls_back_later_is_removed(db, imports_storage):
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():
            name = storage_save(storage=imports_storage, name="alfa/later.csv", data=b"z")
        assert imports_storage.exists(name)
        raise RuntimeError("the surrounding transaction rolls back after the savepoint was released")
    assert not Path(imports_storage.path(name)).exists()


def test_a_file_whose_transaction_committed_stays(db, imports_storage, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):  # what a commit runs, inside the test's transaction
            name = storage_save(storage=imports_storage, name="alfa/committed.csv", data=b"c")
        raise RuntimeError("Django drops the callbacks that have run already")
    assert imports_storage.open(name).read() == b"c"
