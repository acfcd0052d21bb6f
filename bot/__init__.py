"""Löneservice-assistenten: a Teams bot for VGR's Löneservice and Heroma permissions.

Only ``bot.channel`` imports botbuilder; the rest is plain Python so that a port to the
Microsoft 365 Agents SDK can reuse matching, dialogs and dates unchanged.
"""
