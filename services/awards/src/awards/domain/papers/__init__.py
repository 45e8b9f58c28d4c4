"""The papers a province signs for its awards, as their words: the bloc's honouring-vote minutes, the
submission (tờ trình), the list of proposals, the council's minutes and the draft decision.

Pure Python: each paper is composed from the records the read models hold (``records``) in the forms of a
Vietnamese administrative document (``words``); ``awards.adapters.docx_papers`` lays them out in Word.
"""
