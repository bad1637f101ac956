"""Billing domain of the simulated practice office: plain Python over Decimal, no Django.

Dependencies run one way: money, codes -> plans, ledger, remittance -> claims ->
adjudication, posting -> x12. Django models and views (the ``simulations`` app) call these
functions; nothing here imports Django.
"""
