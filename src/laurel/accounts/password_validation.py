from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
)


class CharacterClassValidator:
    """The password mixes at least ``min_classes`` of: lowercase, uppercase, digits, symbols.

    Django ships length, similarity, common-password and numeric validators but none for
    character classes; this small one completes the policy (length ≥ 10, not all one class).
    """

    def __init__(self, min_classes: int = 2):
        self.min_classes = min_classes

    def _classes(self, password: str) -> set[str]:
        found = set()
        for char in password:
            for name, test in CLASSES:
                if test(char):
                    found.add(name)
                    break
            else:
                found.add("symbol")
        return found

    def validate(self, password, user=None):
        if len(self._classes(password)) < self.min_classes:
            raise ValidationError(
                _("密码须至少包含小写字母、大写字母、数字、符号中的%(count)d类。")
                % {"count": self.min_classes},
                code="password_too_uniform",
            )

    def get_help_text(self):
        return _("密码须至少包含小写字母、大写字母、数字、符号中的%(count)d类。") % {
            "count": self.min_classes
        }


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django 5.2 changed the message id, and its
    zh_Hans catalogue no longer matches it)."""

    def get_error_message(self):
        return _("密码太短，至少需要%(count)d个字符。") % {"count": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(count)d个字符。") % {"count": self.min_length}
