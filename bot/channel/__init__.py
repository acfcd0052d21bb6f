"""The Teams channel layer: the only package that imports botbuilder.

``server`` (HTTP edge, auth, expectReplies), ``teams`` (activity handler: mentions,
welcome, per-user state), ``render`` (Reply → activities), ``storage`` (state in
SQLite), ``auth`` (token checks, connector reuse). Everything it calls is plain Python
(``bot.turn.Assistant``), so a port to the Microsoft 365 Agents SDK replaces only this
package. Import ``bot.channel.server`` for ``create_app`` and ``run``.
"""
