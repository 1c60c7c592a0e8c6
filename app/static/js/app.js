// TrackMyCrime front-end entry point.
// Load with: <script type="module" src="/static/js/app.js"></script>
// (an external module script: works under a strict CSP with script-src 'self',
// no inline script and no eval).
import { initAll } from './govuk-frontend.min.js'

// GOV.UK Frontend only styles JavaScript-enhanced components once this class
// is on <body>. The usual inline snippet is not allowed under our CSP, so it
// is set here; module scripts are deferred, so <body> already exists.
document.body.classList.add('govuk-frontend-supported')

// Initialise every GOV.UK Frontend component on the page (Exit this page,
// Service navigation menu, Skip link, Buttons, Error summary, ...).
initAll()
