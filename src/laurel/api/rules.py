"""The API's own rules (laurel.core.permissions): every endpoint otherwise asks the rule of the
app it serves (``registry.search_people``, ``nominations.add_nominee`` …), as the pages do."""

from laurel.core.permissions import rule
from laurel.core.predicates import is_active_user

# A signed-in user keeps their own token (tokens see exactly what the user sees).
rule("api.manage_own_token", is_active_user)
