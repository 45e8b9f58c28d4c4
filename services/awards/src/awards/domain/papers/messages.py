"""What the papers' routes tell people when a paper cannot be made, in Vietnamese (default) and English."""

PAPER_MESSAGES: dict[str, dict[str, str]] = {
    "paper.vote_open": {
        "vi": "Cuộc bỏ phiếu {vote_id} chưa kết thúc; biên bản được lập sau khi kiểm phiếu.",
        "en": "Vote {vote_id} is still open; its minutes are made once the ballots are counted.",
    },
    "paper.nothing_to_submit": {
        "vi": "Chưa có hồ sơ đề nghị tặng {form} năm {year} nào được Hội đồng thông qua để trình.",
        "en": "No proposal for {form} of {year} has passed the council yet: there is nothing to submit.",
    },
    "paper.nothing_from_bloc": {
        "vi": "Khối {bloc_id} chưa có hồ sơ đề nghị tặng {form} năm {year}.",
        "en": "Bloc {bloc_id} has no proposal for {form} of {year}.",
    },
    "paper.no_proposals": {
        "vi": "Chưa có hồ sơ đề nghị khen thưởng nào của năm {year} theo điều kiện đã chọn.",
        "en": "There is no proposal for {year} that matches.",
    },
    "paper.no_council_votes": {
        "vi": "Hội đồng chưa biểu quyết hồ sơ đề nghị khen thưởng nào của năm {year} theo điều kiện đã chọn.",
        "en": "The council has voted on no proposal for {year} that matches.",
    },
    "paper.no_council_session": {
        "vi": "Hội đồng không biểu quyết hồ sơ nào của năm {year} ngày {held_on}; các phiên họp: {sessions}.",
        "en": "The council voted on no proposal for {year} on {held_on}; its sessions: {sessions}.",
    },
    "paper.central_decision": {
        "vi": "{form} do {decided_by} quyết định; tỉnh lập tờ trình (submission.docx), không lập dự thảo quyết định.",
        "en": "{form} is decided by {decided_by}; the province makes a submission (submission.docx), not a draft "
              "decision.",
    },
    "paper.nothing_to_decide": {
        "vi": "Chưa có hồ sơ đề nghị tặng {form} năm {year} nào được Hội đồng thông qua hoặc đã có quyết định.",
        "en": "No proposal for {form} of {year} has passed the council or been decided yet.",
    },
    "paper.no_such_decision": {
        "vi": "Không có quyết định số {decision_no} tặng {form} năm {year}.",
        "en": "There is no decision {decision_no} awarding {form} of {year}.",
    },
}
