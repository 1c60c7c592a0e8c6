"""A small OpenID Connect provider for development and tests ONLY.

Production never imports this package: forces bring their own identity providers. The
demo command and the tests run it so officer sign-in works on a machine with nothing
else installed.

One server hosts many issuers, one per force, at `{base_url}/{slug}` (for example
http://127.0.0.1:5556/kent). Each issuer has its own RS256 keys, clients and users, so
a token from one force's issuer never verifies at another's. Per issuer:

    /.well-known/openid-configuration   discovery
    /authorize    code flow only; exact redirect_uri; state, nonce and PKCE S256 required;
                  an HTML sign-in form (no sign-in session: every sign-in asks again)
    /token        authorization_code; client_secret_basic or client_secret_post;
                  single-use codes that expire after a minute
    /jwks  /userinfo (Bearer)  /logout (id_token_hint, post_logout_redirect_uri, state)

The id_token carries iss, sub (a stable uuid per force and username), aud, exp, iat,
auth_time, nonce, name, email, collar_number, team and the role claim (DemoIssuer's
`role_claim`, default "roles": a list such as ["tmc-officer", "tmc-supervisor"]).

`demo_issuers(forces, redirect_uri_for, post_logout_for)` gives every force:

    username     password               roles
    officer      officer-<slug>-demo     tmc-officer
    supervisor   supervisor-<slug>-demo  tmc-officer, tmc-supervisor
    admin        admin-<slug>-demo       tmc-admin

and one client `trackmycrime-<slug>` with the fixed secret `trackmycrime-<slug>-demo-secret`
(fixed so a force's stored IdP settings survive a restart of the demo). These are
printed by the demo command; they protect nothing real.

`demo_operator_issuer(redirect_uri, post_logout_uri)` is the central site's issuer
(slug "central"): one user `operator`, password `operator-central-demo`, email
DEMO_OPERATOR_EMAIL, and the client `trackmycrime-central` (secret
`trackmycrime-central-demo-secret`), for the operators' console.

Usage:

    provider = run_in_thread("127.0.0.1", 0, issuers)   # 0: any free port
    provider.issuer("kent")         # -> "http://127.0.0.1:<port>/kent"
    provider.misbehave("kent", "expired")   # test hooks: object API only, never HTTP
    provider.rotate_keys("kent"); provider.drop_old_keys("kent")
    provider.stop()
"""

from app.demo_idp.config import (
    CENTRAL_ISSUER,
    DEMO_OPERATOR_EMAIL,
    DemoClient,
    DemoIssuer,
    DemoUser,
    demo_client_id,
    demo_client_secret,
    demo_issuers,
    demo_operator_issuer,
    demo_password,
)
from app.demo_idp.provider import DemoProvider
from app.demo_idp.runner import RunningProvider, run_in_thread
from app.demo_idp.tokens import MISBEHAVIOURS
from app.demo_idp.views import create_provider_app

__all__ = [
    "CENTRAL_ISSUER",
    "DEMO_OPERATOR_EMAIL",
    "MISBEHAVIOURS",
    "DemoClient",
    "DemoIssuer",
    "DemoProvider",
    "DemoUser",
    "RunningProvider",
    "create_provider_app",
    "demo_client_id",
    "demo_client_secret",
    "demo_issuers",
    "demo_operator_issuer",
    "demo_password",
    "run_in_thread",
]
