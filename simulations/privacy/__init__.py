"""Confidentiality domain for the practice office: disclosure rules, authorization checks, deadlines,
accounting of disclosures, breach assessment and the request scenario bank. Plain Python, no Django.

Dependencies run one way: scenarios -> rules -> (authorization, deadlines); accounting and breach -> deadlines.
"""
