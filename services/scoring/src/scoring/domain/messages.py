"""What scoring tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "score.not_member": {
        "vi": "Đơn vị {unit_id} không phải thành viên khối {bloc_id} trong năm {year}; "
              "chỉ chấm điểm cho thành viên của khối.",
        "en": "Unit {unit_id} is not a member of bloc {bloc_id} in {year}; only members are scored.",
    },
    "targets.empty": {"vi": "Cần đăng ký ít nhất một chỉ tiêu.", "en": "Register at least one target."},
    "targets.duplicate_code": {
        "vi": "Mã chỉ tiêu {target} xuất hiện hai lần.",
        "en": "Target code {target} appears twice.",
    },
    "evidence.bad_ref": {
        "vi": "Minh chứng phải là đường dẫn http(s) hoặc tệp đã tải lên (sha256:…): {refs}.",
        "en": "Evidence must be an http(s) link or an uploaded file (sha256:…): {refs}.",
    },
    "evidence.unknown": {
        "vi": "Chưa có tệp minh chứng: {refs}; hãy tải tệp lên trước.",
        "en": "No such evidence files: {refs}; upload them first.",
    },
    "evidence.too_large": {
        "vi": "Tệp minh chứng quá lớn ({size}); tối đa {limit}. Hãy nén hoặc tách tệp rồi gửi lại.",
        "en": "The evidence file is too large ({size}); at most {limit}. Compress or split it and send it again.",
    },
    "evidence.not_found": {"vi": "Không có tệp minh chứng {sha256}.", "en": "No evidence file {sha256}."},
    "table.empty": {"vi": "Bảng chấm điểm cần ít nhất một tiêu chí.", "en": "The scoring table needs a criterion."},
    "table.duplicate_code": {
        "vi": "Mã tiêu chí {criterion} xuất hiện hai lần.",
        "en": "Criterion code {criterion} appears twice.",
    },
    "table.locked": {
        "vi": "Khối {bloc_id} đã bắt đầu chấm điểm năm {year}; không thể sửa bảng chấm điểm nữa.",
        "en": "Bloc {bloc_id} has started scoring {year}; its scoring table can no longer change.",
    },
    "table.amendment_needs_reason": {
        "vi": "Sửa bảng chấm điểm (phiên bản {version}) cần nêu lý do (reason).",
        "en": "Amending the scoring table (version {version}) needs a reason.",
    },
    "table.none": {
        "vi": "Khối {bloc_id} chưa có bảng chấm điểm năm {year}; thư ký khối cần ban hành trước.",
        "en": "Bloc {bloc_id} has no scoring table for {year}; the secretariat adopts one first.",
    },
    "window.backwards": {
        "vi": "Ngày đóng ({closes_on}) phải sau ngày mở ({opens_on}).",
        "en": "The closing day ({closes_on}) must follow the opening day ({opens_on}).",
    },
    "window.none": {
        "vi": "Khối {bloc_id} chưa mở đợt chấm điểm năm {year}.",
        "en": "Bloc {bloc_id} has not opened scoring for {year}.",
    },
    "window.closed": {
        "vi": "Ngày {on} nằm ngoài thời gian chấm điểm (từ {opens_on} đến {closes_on}).",
        "en": "{on} is outside the scoring window ({opens_on} to {closes_on}).",
    },
    "assessment.unknown_criteria": {
        "vi": "Bảng chấm điểm không có tiêu chí: {criteria}.",
        "en": "The scoring table has no criteria: {criteria}.",
    },
    "assessment.missing_criteria": {
        "vi": "Cần chấm cả các tiêu chí: {criteria}.",
        "en": "Score these criteria too: {criteria}.",
    },
    "assessment.out_of_bounds": {
        "vi": "Tiêu chí {criterion}: {points} điểm nằm ngoài khoảng 0 đến {max_points}.",
        "en": "Criterion {criterion}: {points} points is outside 0 to {max_points}.",
    },
    "cross.self": {
        "vi": "Đơn vị {unit_id} không tự chấm chéo cho mình.",
        "en": "Unit {unit_id} cannot cross-assess itself.",
    },
    "adjustment.reason_required": {
        "vi": "Điều chỉnh điểm cần nêu lý do.",
        "en": "An adjustment needs a reason.",
    },
    "final.not_assessed": {
        "vi": "Đơn vị {unit_id} chưa có điểm chấm theo phương pháp {method}.",
        "en": "Unit {unit_id} has no assessment for the method {method} yet.",
    },
    "final.no_members": {
        "vi": "Khối {bloc_id} không có thành viên trong năm {year}.",
        "en": "Bloc {bloc_id} has no members in {year}.",
    },
    "final.missing_assessments": {
        "vi": "Chưa thể tổng hợp điểm: các đơn vị {units} chưa được chấm ({method}).",
        "en": "Final scores cannot be computed yet: units {units} are not assessed ({method}).",
    },
    "ranking.missing_finals": {
        "vi": "Chưa thể công bố xếp hạng: các đơn vị {units} chưa có điểm tổng kết.",
        "en": "The ranking cannot be published yet: units {units} have no final score.",
    },
    "ranking.locked": {
        "vi": "Xếp hạng khối {bloc_id} năm {year} đã công bố (phiên bản {version}) và bị khóa; "
              "muốn sửa phải mở đợt đính chính có lý do.",
        "en": "The ranking of bloc {bloc_id} for {year} is published (version {version}) and locked; "
              "a change needs a correction with a reason.",
    },
    "ranking.not_published": {
        "vi": "Khối {bloc_id} chưa công bố xếp hạng năm {year}.",
        "en": "Bloc {bloc_id} has not published a ranking for {year}.",
    },
    "ranking.correction_reason_required": {
        "vi": "Đính chính xếp hạng cần nêu lý do.",
        "en": "A correction of the ranking needs a reason.",
    },
    "score.empty_breakdown": {
        "vi": "Cần điểm của ít nhất một tiêu chí.",
        "en": "Give the points of at least one criterion.",
    },
    "score.negative": {
        "vi": "Điểm tiêu chí {criterion} không được âm ({points}).",
        "en": "The points of criterion {criterion} cannot be negative ({points}).",
    },
    "date.in_future": {
        "vi": "Ngày {on} ở tương lai (hôm nay là {today}); chỉ ghi nhận việc đã xảy ra.",
        "en": "{on} is in the future (today is {today}); record only what has happened.",
    },
    "date.past_by_staff_only": {
        "vi": "Chỉ cán bộ của tỉnh hoặc thư ký khối ghi nhận một bản chấm điểm đã nộp từ ngày {on}; đơn vị nộp "
              "với ngày hôm nay ({today}).",
        "en": "Only the province's staff or the bloc's secretariat record a submission made on {on}; a unit "
              "submits on today's date ({today}).",
    },
}
