"""What the awards service tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "proposal.exists": {"vi": "Hồ sơ đề nghị {proposal_id} đã tồn tại.",
                        "en": "Proposal {proposal_id} already exists."},
    "proposal.unknown_form": {
        "vi": "Không có hình thức khen thưởng {award_code}; các hình thức: {forms}.",
        "en": "There is no award form {award_code}; the forms are: {forms}.",
    },
    "proposal.unknown_unit": {
        "vi": "Đơn vị {unit_id} chưa có trong danh sách đơn vị của tỉnh; hãy đăng ký đơn vị trước.",
        "en": "Unit {unit_id} is not among the province's registered units; register it first.",
    },
    "proposal.no_score": {
        "vi": "Đơn vị {unit_id} chưa có điểm tổng kết của khối {bloc_id} năm {year}; "
              "cần chấm điểm trước khi đề nghị.",
        "en": "Unit {unit_id} has no final score in bloc {bloc_id} for {year}; score it before proposing.",
    },
}
