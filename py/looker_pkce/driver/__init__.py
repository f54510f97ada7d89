"""The async driver: `Client` runs the core's protocol and session rules over injected adapters
(transport, storage, navigator, siblings, clock). No `js`: CPython tests drive it with fakes and
`looker_pkce.browser` gives it the browser's."""
