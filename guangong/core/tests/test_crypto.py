"""Field encryption: tokens, tampering, key rotation, the blind index and the start-up checks."""

import base64
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from guangong.audit.models import Action, AuditLog
from guangong.core import crypto
from guangong.core.management.commands.rotate_field_keys import rotate_field
from guangong.core.tests.support import start_django

GOOD_SECRET = "k7Qm2vX9pL4rT8wZ1cF6hJ3nB5yD0sGa"
# Fixed keys: test ids are built from them, and parallel workers must collect the same tests.
OLD_KEY = "A0jVOvC6gSDOKiXkjnvqDxxv1z-kfcSm0z6NDDFU0Fk"
NEW_KEY = "Z6C3P6Gqcj33vKNEzClShAAu8Br-jjbxY1DRmMlFYHA"
HASH_KEY = "DoSxfUhguG4Y7VjSrx5UxOr0f7o16sIDXewJGeBz00Y"
OLD_ONLY = f"old:{OLD_KEY}"
NEW_FIRST = f"new:{NEW_KEY},old:{OLD_KEY}"
ID = "110101199003071234"


@pytest.fixture(autouse=True)
def _fresh_keyring():
    crypto.reset_cache()
    yield
    crypto.reset_cache()


def payload_bytes(token: str) -> bytearray:
    encoded = token.split(":", 2)[2]
    return bytearray(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def with_payload(token: str, data: bytes) -> str:
    prefix = token.rsplit(":", 1)[0]
    return f"{prefix}:{base64.urlsafe_b64encode(bytes(data)).rstrip(b'=').decode()}"


# --- Tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", [ID, "11010119900307123X", "李四 ☃", "x" * 1000])
def test_a_value_survives_the_round_trip(plaintext):
    token = crypto.encrypt(plaintext)

    assert crypto.decrypt(token) == plaintext
    assert plaintext not in token


def test_a_token_names_its_version_and_key():
    token = crypto.encrypt(ID)

    version, kid, payload = token.split(":")
    assert (version, kid) == ("v1", crypto.current_key_id())
    assert crypto.key_id_of(token) == kid
    assert len(payload_bytes(token)) == 12 + len(ID) + 16  # nonce, ciphertext, tag


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt(ID) != crypto.encrypt(ID)


def test_empty_stays_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""
    assert crypto.blind_index("") == ""
    assert crypto.needs_rotation("") is False


@pytest.mark.parametrize("position", [0, 5, 12, 20, -1])
def test_a_flipped_byte_is_detected(position):
    token = crypto.encrypt(ID)
    data = payload_bytes(token)
    data[position] ^= 0x01

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(with_payload(token, data))


def test_a_truncated_token_is_detected():
    token = crypto.encrypt(ID)

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token[:-4])


@override_settings(FIELD_ENCRYPTION_KEYS=f"one:{OLD_KEY},two:{OLD_KEY}")
def test_the_key_id_is_bound_to_the_ciphertext():
    """Relabelling a token to another key id fails, even where both ids hold the same key."""
    token = crypto.encrypt(ID)
    assert crypto.key_id_of(token) == "one"

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token.replace("v1:one:", "v1:two:"))


@pytest.mark.parametrize(
    "token",
    [
        "110101199003071234",
        "v2:dev:AAAA",
        "v1:dev",
        "v1:DEV:AAAA",
        "v1:dev:not base64!",
        "v1::AAAA",
    ],
)
def test_a_malformed_token_is_a_decryption_error(token):
    with pytest.raises(crypto.DecryptionError) as caught:
        crypto.decrypt(token)

    assert token not in str(caught.value)


def test_an_unknown_key_is_a_decryption_error_that_names_it():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_ONLY):
        token = crypto.encrypt(ID)

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(crypto.DecryptionError, match="'old'"),
    ):
        crypto.decrypt(token)


def test_a_different_key_under_a_known_id_does_not_decrypt():
    with override_settings(FIELD_ENCRYPTION_KEYS=f"k1:{OLD_KEY}"):
        token = crypto.encrypt(ID)

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"k1:{NEW_KEY}"),
        pytest.raises(crypto.DecryptionError),
    ):
        crypto.decrypt(token)


# --- Rotation -------------------------------------------------------------------------------


def test_rotation_moves_a_token_to_the_current_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_ONLY):
        old_token = crypto.encrypt(ID)
        assert crypto.needs_rotation(old_token) is False

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        crypto.reset_cache()
        assert crypto.current_key_id() == "new"
        assert crypto.needs_rotation(old_token) is True
        assert crypto.decrypt(old_token) == ID  # old keys still decrypt

        new_token = crypto.reencrypt(old_token)

        assert crypto.key_id_of(new_token) == "new"
        assert crypto.needs_rotation(new_token) is False
        assert crypto.decrypt(new_token) == ID
        assert crypto.reencrypt(new_token) == new_token  # nothing to do twice

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY}"):
        assert crypto.decrypt(new_token) == ID  # the old key can go after rotation


def test_rotate_field_reencrypts_every_stale_token(db):
    """The command's batch function, with audit messages standing in for an encrypted column."""
    plaintexts = [f"{ID[:-4]}{n:04d}" for n in range(7)]
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_ONLY):
        rows = [
            AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt(p))
            for p in plaintexts
        ]
    empty = AuditLog.objects.create(action=Action.UPDATE, message="")
    other = AuditLog.objects.create(action=Action.UPDATE, message="not a token")

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        current = AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt("current"))
        current_token = current.message

        result = rotate_field(AuditLog, "message", batch_size=3)

        assert (result.rotated, result.failed, result.not_tokens) == (7, [], 1)
        for row, plaintext in zip(rows, plaintexts, strict=True):
            row.refresh_from_db()
            assert crypto.key_id_of(row.message) == "new"
            assert crypto.decrypt(row.message) == plaintext
        current.refresh_from_db()
        assert current.message == current_token  # already under the current key: untouched
        empty.refresh_from_db()
        other.refresh_from_db()
        assert (empty.message, other.message) == ("", "not a token")

        again = rotate_field(AuditLog, "message", batch_size=3)

        assert (again.rotated, again.failed) == (0, [])


def test_rotate_field_reports_tokens_it_cannot_decrypt(db):
    with override_settings(FIELD_ENCRYPTION_KEYS=f"lost:{crypto.generate_key()}"):
        lost = AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt(ID))
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_ONLY):
        fine = AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt(ID))

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        result = rotate_field(AuditLog, "message")

        assert (result.rotated, result.failed) == (1, [lost.pk])
        fine.refresh_from_db()
        assert crypto.decrypt(fine.message) == ID


@pytest.fixture
def registry(monkeypatch):
    entries: list = []
    monkeypatch.setattr(crypto, "_registry", entries)
    return entries


def test_the_command_rotates_registered_fields_and_audits_once(db, registry):
    crypto.register(AuditLog, "message")
    crypto.register(AuditLog, "message")  # registering twice is harmless
    assert crypto.registered_fields() == ((AuditLog, "message"),)
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_ONLY):
        for n in range(5):
            AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt(f"value {n}"))
    before = AuditLog.objects.count()
    out = StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        call_command("rotate_field_keys", stdout=out, stderr=StringIO())

        assert "audit.auditlog.message: 5 re-encrypted" in out.getvalue()
        assert AuditLog.objects.count() == before + 1  # one summary, no record per row
        summary = AuditLog.objects.latest("id")
        assert summary.action == Action.UPDATE
        assert "rotated to new: 5 values" in summary.message
        tokens = AuditLog.objects.filter(message__startswith="v1:")
        assert {crypto.key_id_of(t.message) for t in tokens} == {"new"}

        out = StringIO()
        call_command("rotate_field_keys", stdout=out, stderr=StringIO())

        assert "audit.auditlog.message: 0 re-encrypted" in out.getvalue()


def test_the_command_fails_when_a_token_cannot_be_decrypted(db, registry):
    crypto.register(AuditLog, "message")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"gone:{crypto.generate_key()}"):
        AuditLog.objects.create(action=Action.UPDATE, message=crypto.encrypt(ID))

    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("rotate_field_keys", stdout=StringIO(), stderr=StringIO())

    assert "1 could not be decrypted" in AuditLog.objects.latest("id").message


def test_register_refuses_a_field_that_does_not_exist(registry):
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        crypto.register(AuditLog, "no_such_field")


def test_generate_prints_usable_keys():
    out = StringIO()

    call_command("rotate_field_keys", "--generate", "--kid", "k2026", stdout=out, stderr=StringIO())

    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    entry, hash_key = lines["FIELD_ENCRYPTION_KEYS"], lines["FIELD_HASH_KEY"]
    assert entry.startswith("k2026:")
    crypto.check_key_settings(entry, hash_key, production=True)
    with override_settings(FIELD_ENCRYPTION_KEYS=entry, FIELD_HASH_KEY=hash_key):
        assert crypto.decrypt(crypto.encrypt(ID)) == ID


def test_generated_keys_differ():
    assert len({crypto.generate_key() for _ in range(20)}) == 20


@pytest.mark.parametrize("kid", ["K1", "dev", "has space", "a:b", ""])
def test_generate_refuses_a_bad_key_id(kid):
    with pytest.raises(CommandError):
        call_command("rotate_field_keys", "--generate", "--kid", kid, stdout=StringIO())


# --- Blind index ----------------------------------------------------------------------------


def test_the_blind_index_is_deterministic_and_keyed():
    index = crypto.blind_index(ID)

    assert len(index) == 64
    assert int(index, 16) >= 0
    assert crypto.blind_index(ID) == index
    assert crypto.blind_index("110101199003071235") != index
    with override_settings(FIELD_HASH_KEY=HASH_KEY):
        other = crypto.blind_index(ID)
    assert other != index
    with override_settings(FIELD_HASH_KEY=HASH_KEY):
        assert crypto.blind_index(ID) == other


def test_the_blind_index_does_not_depend_on_the_encryption_keys():
    index = crypto.blind_index(ID)

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_FIRST):
        assert crypto.blind_index(ID) == index


# --- Key settings ---------------------------------------------------------------------------


def test_development_uses_the_development_keys():
    crypto.check_key_settings("", "", production=False)

    assert crypto.current_key_id() == "dev"
    assert crypto.parse_hash_key("") == crypto.DEVELOPMENT_HASH_KEY


def test_the_development_key_may_be_listed_to_rotate_away_from_it():
    entry = crypto.development_key_entry()
    with override_settings(FIELD_ENCRYPTION_KEYS=""):
        token = crypto.encrypt(ID)

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},{entry}"):
        assert crypto.decrypt(crypto.reencrypt(token)) == ID
    with pytest.raises(ImproperlyConfigured, match="development key"):
        crypto.check_key_settings(f"new:{NEW_KEY},{entry}", HASH_KEY, production=True)


@pytest.mark.parametrize(
    ("keys", "hash_key", "production"),
    [
        ("", "", True),
        (f"k1:{OLD_KEY}", "", True),
        ("", HASH_KEY, True),
        (f"k1:{OLD_KEY}", base64.urlsafe_b64encode(crypto.DEVELOPMENT_HASH_KEY).decode(), True),
        (f"k1:{OLD_KEY}", OLD_KEY, False),  # the hash key must not be an encryption key
        (f"k1:{OLD_KEY[:-2]}", HASH_KEY, False),  # too short
        (f"k1:{OLD_KEY}!", HASH_KEY, False),  # not base64url
        (f"{OLD_KEY}", HASH_KEY, False),  # no key id
        (f"K1:{OLD_KEY}", HASH_KEY, False),  # upper case
        (f"k1:{OLD_KEY},k1:{NEW_KEY}", HASH_KEY, False),  # the same id twice
        (f"dev:{OLD_KEY}", HASH_KEY, False),  # "dev" is only ever the development key
        (f"k1:{OLD_KEY}", HASH_KEY[:-3], False),
    ],
)
def test_bad_key_settings_are_refused(keys, hash_key, production):
    with pytest.raises(ImproperlyConfigured) as caught:
        crypto.check_key_settings(keys, hash_key, production=production)

    for secret in (OLD_KEY, NEW_KEY, HASH_KEY):
        assert secret[:20] not in str(caught.value)


def test_good_production_keys_are_accepted():
    crypto.check_key_settings(f" k2:{NEW_KEY} , k1:{OLD_KEY}= ", HASH_KEY, production=True)

    assert list(crypto.parse_encryption_keys(f"k2:{NEW_KEY},k1:{OLD_KEY}")) == ["k2", "k1"]


PRODUCTION = {"GUANGONG_ENV": "production", "SECRET_KEY": GOOD_SECRET}


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({}, True),
        ({"FIELD_ENCRYPTION_KEYS": "k1:short"}, False),  # malformed is refused everywhere
        (PRODUCTION, False),
        ({**PRODUCTION, "FIELD_ENCRYPTION_KEYS": f"k1:{OLD_KEY}"}, False),
        (
            {**PRODUCTION, "FIELD_ENCRYPTION_KEYS": f"k1:{OLD_KEY}", "FIELD_HASH_KEY": HASH_KEY},
            True,
        ),
        (
            {
                **PRODUCTION,
                "FIELD_ENCRYPTION_KEYS": crypto.development_key_entry(),
                "FIELD_HASH_KEY": HASH_KEY,
            },
            False,
        ),
    ],
    ids=[
        "development",
        "development-malformed",
        "production-no-keys",
        "production-no-hash-key",
        "production-good",
        "production-development-key",
    ],
)
def test_production_refuses_to_start_without_real_keys(tmp_path, env, starts):
    result = start_django(tmp_path, starts, **env)

    if not starts:
        assert OLD_KEY not in result.stderr
        assert HASH_KEY not in result.stderr
