from tests.browser.test_smoke import demo_data, page  # noqa: F401
