"""What the registry tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "unit.exists": {
        "vi": "Đơn vị {unit_id} đã được đăng ký ({name}).",
        "en": "Unit {unit_id} is already registered ({name}).",
    },
    "unit.not_found": {
        "vi": "Không tìm thấy đơn vị {unit_id}; hãy đăng ký đơn vị trước.",
        "en": "No unit {unit_id}; register the unit first.",
    },
    "unit.name_required": {"vi": "Cần nhập tên đơn vị.", "en": "The unit needs a name."},
    "bloc.exists": {"vi": "Khối thi đua {bloc_id} đã được thành lập.",
                    "en": "Bloc {bloc_id} is already established."},
    "bloc.not_found": {
        "vi": "Không tìm thấy khối thi đua {bloc_id}; hãy thành lập khối trước.",
        "en": "No bloc {bloc_id}; establish the bloc first.",
    },
    "bloc.name_required": {"vi": "Cần nhập tên khối thi đua.", "en": "The bloc needs a name."},
    "decision_ref.required": {
        "vi": "Cần số quyết định (ví dụ 123/QĐ-UBND).",
        "en": "A decision reference is required (e.g. 123/QĐ-UBND).",
    },
    "bloc.already_member": {
        "vi": "Đơn vị {unit_id} đã là thành viên khối {bloc_id} từ ngày {day}.",
        "en": "Unit {unit_id} is already a member of bloc {bloc_id} since {day}.",
    },
    "unit.same_name": {
        "vi": "Đơn vị {unit_id} đã mang tên \"{name}\".",
        "en": "Unit {unit_id} is already named \"{name}\".",
    },
    "unit.ended": {
        "vi": "Đơn vị {unit_id} đã giải thể hoặc sáp nhập từ ngày {day}.",
        "en": "Unit {unit_id} was dissolved or merged on {day}.",
    },
    "bloc.one_of_a_kind": {
        "vi": "Đơn vị {unit_id} đang là thành viên khối {other_bloc_id} cùng loại ({kind}); "
              "một đơn vị chỉ thuộc một khối mỗi loại tại một thời điểm.",
        "en": "Unit {unit_id} is a member of bloc {other_bloc_id} of the same kind ({kind}); "
              "a unit sits in one bloc of a kind at a time.",
    },
    "bloc.not_a_member": {
        "vi": "Đơn vị {unit_id} hiện không là thành viên khối {bloc_id}.",
        "en": "Unit {unit_id} is not a member of bloc {bloc_id} now.",
    },
    "bloc.leave_before_join": {
        "vi": "Ngày rời khối phải sau ngày gia nhập ({day}) của đơn vị {unit_id}.",
        "en": "Unit {unit_id} must leave after the day it joined ({day}).",
    },
    "unit.own_parent": {
        "vi": "Đơn vị {unit_id} không thể là đơn vị cấp trên của chính nó.",
        "en": "Unit {unit_id} cannot be its own parent unit.",
    },
    "unit.parent_not_found": {
        "vi": "Không tìm thấy đơn vị cấp trên {parent_unit_id}; hãy đăng ký đơn vị đó trước.",
        "en": "No parent unit {parent_unit_id}; register it first.",
    },
    "election.not_member": {
        "vi": "Đơn vị {unit_id} không phải thành viên khối {bloc_id} vào ngày bầu {day}.",
        "en": "Unit {unit_id} is not a member of bloc {bloc_id} on the election day {day}.",
    },
    "election.votes_for_exceed_cast": {
        "vi": "Số phiếu tán thành ({votes_for}) không được lớn hơn số phiếu bầu ({votes_cast}).",
        "en": "Votes for ({votes_for}) cannot exceed votes cast ({votes_cast}).",
    },
    "election.votes_cast_exceed_members": {
        "vi": "Số phiếu bầu ({votes_cast}) không được lớn hơn số thành viên ({members}).",
        "en": "Votes cast ({votes_cast}) cannot exceed the members ({members}).",
    },
    "election.already_elected": {
        "vi": "Khối đã có {role} năm {year} (đơn vị {unit_id}); bầu lại cần nêu lý do (replaces_reason).",
        "en": "The bloc already has a {role} for {year} (unit {unit_id}); electing again needs a reason "
              "(replaces_reason).",
    },
    "election.consecutive_chair": {
        "vi": "Đơn vị {unit_id} đã làm trưởng khối năm {other_year}; theo quy định của tỉnh, "
              "trưởng khối luân phiên hằng năm nên không thể làm trưởng khối năm {year}.",
        "en": "Unit {unit_id} chairs the bloc in {other_year}; the province's rule rotates chairs yearly, "
              "so it cannot chair in {year}.",
    },
    "handover.not_the_chair": {
        "vi": "Đơn vị {unit_id} không phải trưởng khối năm {year}.",
        "en": "Unit {unit_id} is not the chair for {year}.",
    },
    "handover.done": {
        "vi": "Khối {bloc_id} đã bàn giao trưởng khối năm {year}.",
        "en": "Bloc {bloc_id} has already handed over the chair for {year}.",
    },
    "province.exists": {
        "vi": "Tỉnh {province} đã được đăng ký ({name}).",
        "en": "Province {province} is already registered ({name}).",
    },
    "province.not_registered": {
        "vi": "Tỉnh {province} chưa được đăng ký; hãy đăng ký tỉnh trước.",
        "en": "Province {province} is not registered yet; register it first.",
    },
    "election.same_unit_both_roles": {
        "vi": "Đơn vị {unit_id} không thể vừa là trưởng khối vừa là phó khối năm {year}.",
        "en": "Unit {unit_id} cannot be both chair and vice-chair in {year}.",
    },
}
