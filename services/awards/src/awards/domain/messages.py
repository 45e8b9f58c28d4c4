"""What the awards service tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "vote.exists": {"vi": "Cuộc bỏ phiếu {vote_id} đã được mở.", "en": "Vote {vote_id} is already open."},
    "vote.no_candidates": {"vi": "Cần ít nhất một đơn vị được đề cử.", "en": "Name at least one candidate."},
    "vote.candidates_not_members": {
        "vi": "Các đơn vị {units} không phải thành viên khối {bloc_id} năm đó.",
        "en": "Units {units} are not members of bloc {bloc_id} that year.",
    },
    "vote.bad_threshold": {
        "vi": "Tỷ lệ tán thành ({threshold}) phải lớn hơn 0 và không quá 1.",
        "en": "The threshold ({threshold}) must be above 0 and at most 1.",
    },
    "vote.not_a_member": {
        "vi": "Đơn vị {unit_id} không phải thành viên khối {bloc_id} nên không được bỏ phiếu.",
        "en": "Unit {unit_id} is not a member of bloc {bloc_id} and cannot vote.",
    },
    "vote.already_voted": {"vi": "Đơn vị {unit_id} đã bỏ phiếu.", "en": "Unit {unit_id} has already voted."},
    "vote.not_candidates": {
        "vi": "Các đơn vị {units} không có trong danh sách đề cử.",
        "en": "Units {units} are not candidates.",
    },
    "vote.duplicate_choice": {"vi": "Mỗi đơn vị chỉ được chọn một lần.", "en": "Choose each unit once."},
    "vote.tally_mismatch": {
        "vi": "Số phiếu niêm phong ({ballots}) khác số đơn vị đã bỏ phiếu ({voters}); không thể kiểm phiếu.",
        "en": "The sealed ballots ({ballots}) differ from the voters ({voters}); the vote cannot be counted.",
    },
    "vote.no_quorum": {
        "vi": "Chưa đủ số phiếu: {ballots}/{members} thành viên đã bỏ phiếu, cần quá nửa.",
        "en": "No quorum: {ballots} of {members} members voted; more than half must.",
    },
    "vote.not_found": {"vi": "Không có cuộc bỏ phiếu {vote_id}.", "en": "No vote {vote_id}."},
    "vote.closed": {"vi": "Cuộc bỏ phiếu {vote_id} đã kết thúc.", "en": "Vote {vote_id} is closed."},
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
