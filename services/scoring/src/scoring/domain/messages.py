"""What scoring tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "score.not_member": {
        "vi": "Đơn vị {unit_id} không phải thành viên khối {bloc_id} trong năm {year}; "
              "chỉ chấm điểm cho thành viên của khối.",
        "en": "Unit {unit_id} is not a member of bloc {bloc_id} in {year}; only members are scored.",
    },
    "score.empty_breakdown": {
        "vi": "Cần điểm của ít nhất một tiêu chí.",
        "en": "Give the points of at least one criterion.",
    },
    "score.negative": {
        "vi": "Điểm tiêu chí {criterion} không được âm ({points}).",
        "en": "The points of criterion {criterion} cannot be negative ({points}).",
    },
}
