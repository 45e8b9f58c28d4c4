"""What scoring tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "registry.unknown_bloc": {
        "vi": "Sổ đăng ký không có khối {bloc_id}. Kiểm tra lại mã khối; nếu là khối mới, hãy thành lập khối ở phân hệ "
              "đăng ký trước (khối vừa thành lập thì thử lại sau giây lát).",
        "en": "The registry has no bloc {bloc_id}. Check the bloc's code; for a new bloc, establish it in the "
              "registry first (if it was just established, try again in a moment).",
    },
    "registry.unknown_year": {
        "vi": "Theo sổ đăng ký, khối {bloc_id} không có đơn vị thành viên nào trong năm {year}. Kiểm tra lại năm, "
              "hoặc ghi nhận các đơn vị gia nhập khối ở phân hệ đăng ký trước.",
        "en": "The registry has no member unit in bloc {bloc_id} during {year}. Check the year, or record the "
              "units joining the bloc in the registry first.",
    },
    "registry.unknown_unit": {
        "vi": "Sổ đăng ký không có đơn vị {unit_id}. Kiểm tra lại mã đơn vị; nếu là đơn vị mới, hãy đăng ký đơn vị "
              "ở phân hệ đăng ký trước.",
        "en": "The registry has no unit {unit_id}. Check the unit's code; for a new unit, register it in the "
              "registry first.",
    },
    "table.targets_penalty": {
        "vi": "Tiêu chí {criterion} lấy điểm từ kết quả thực hiện chỉ tiêu nên chỉ là điểm chuẩn hoặc điểm thưởng, "
              "không phải điểm trừ.",
        "en": "Criterion {criterion} takes its points from the target results, so it is a base or a bonus "
              "criterion, not a penalty.",
    },
    "table.duplicate_band": {
        "vi": "Mức xếp loại {band} xuất hiện hai lần.",
        "en": "Classification band {band} appears twice.",
    },
    "table.duplicate_band_minimum": {
        "vi": "Hai mức xếp loại cùng có điểm tối thiểu {min_points}; mỗi mức cần một điểm tối thiểu riêng.",
        "en": "Two classification bands have the same minimum, {min_points}; give each its own.",
    },
    "targets.results_recorded": {
        "vi": "Đơn vị {unit_id} đã có kết quả thực hiện chỉ tiêu; không đăng ký lại chỉ tiêu sau khi đã ghi kết "
              "quả (có thể ghi lại kết quả).",
        "en": "Unit {unit_id} has its target results recorded; its targets cannot be registered again after "
              "that (its results can be recorded again).",
    },
    "results.empty": {"vi": "Cần kết quả của ít nhất một chỉ tiêu.", "en": "Give the result of at least one target."},
    "results.duplicate_code": {
        "vi": "Kết quả của chỉ tiêu {target} xuất hiện hai lần.",
        "en": "The result of target {target} appears twice.",
    },
    "results.value_without_plan": {
        "vi": "Chỉ tiêu {target}: cần ghi cả giá trị đạt được (achieved) và kế hoạch (planned), hoặc không ghi cả hai.",
        "en": "Target {target}: give both the value achieved and the plan, or neither.",
    },
    "results.before_year": {
        "vi": "Không thể ghi kết quả chỉ tiêu năm {year} vào ngày {on}, trước khi năm bắt đầu.",
        "en": "The target results of {year} cannot be recorded on {on}, before the year began.",
    },
    "results.no_targets": {
        "vi": "Đơn vị {unit_id} chưa đăng ký chỉ tiêu nào năm này; đăng ký chỉ tiêu trước khi ghi kết quả.",
        "en": "Unit {unit_id} registered no targets for this year; register them before recording results.",
    },
    "results.unknown_target": {
        "vi": "Đơn vị {unit_id} không đăng ký các chỉ tiêu: {targets}.",
        "en": "Unit {unit_id} registered no such targets: {targets}.",
    },
    "results.missing_targets": {
        "vi": "Cần ghi kết quả của mọi chỉ tiêu đơn vị {unit_id} đã đăng ký; còn thiếu: {targets}.",
        "en": "Record the result of every target unit {unit_id} registered; missing: {targets}.",
    },
    "assessment.from_targets": {
        "vi": "Các tiêu chí {criteria} lấy điểm từ kết quả thực hiện chỉ tiêu; không chấm các tiêu chí này.",
        "en": "Criteria {criteria} take their points from the target results; do not score them.",
    },
    "verification.not_needed": {
        "vi": "Bảng chấm điểm dùng phương pháp {method}, không cần thẩm định bản tự chấm.",
        "en": "The scoring table's method is {method}; self-assessments need no verification.",
    },
    "verification.verifier_required": {
        "vi": "Cần ghi người hoặc tổ thẩm định (verified_by).",
        "en": "Say who verified it (verified_by).",
    },
    "verification.no_self_assessment": {
        "vi": "Đơn vị {unit_id} chưa nộp bản tự chấm để thẩm định.",
        "en": "Unit {unit_id} has submitted no self-assessment to verify.",
    },
    "verification.already": {
        "vi": "Bản tự chấm mới nhất của đơn vị {unit_id} đã được thẩm định ngày {verified_on}.",
        "en": "Unit {unit_id}'s latest self-assessment was verified on {verified_on}.",
    },
    "verification.before_submission": {
        "vi": "Ngày thẩm định ({on}) không thể trước ngày nộp bản tự chấm ({submitted_on}).",
        "en": "The verification ({on}) cannot precede the self-assessment's submission ({submitted_on}).",
    },
    "final.not_verified": {
        "vi": "Chưa thể tổng hợp điểm: bản tự chấm của các đơn vị {units} chưa được tổ của trưởng khối thẩm định.",
        "en": "Final scores cannot be computed yet: the self-assessments of units {units} are not verified by "
              "the chair's team.",
    },
    "final.missing_target_results": {
        "vi": "Chưa thể tổng hợp điểm: các đơn vị {units} chưa có kết quả thực hiện chỉ tiêu.",
        "en": "Final scores cannot be computed yet: units {units} have no target results.",
    },
    "tie.too_few": {
        "vi": "Một trường hợp bằng điểm cần ít nhất hai đơn vị.",
        "en": "A tie needs at least two units.",
    },
    "tie.duplicate_unit": {
        "vi": "Đơn vị {unit_id} xuất hiện hai lần trong thứ tự.",
        "en": "Unit {unit_id} appears twice in the order.",
    },
    "tie.not_ranked": {
        "vi": "Các đơn vị {units} không có điểm tổng kết trong xếp hạng của khối.",
        "en": "Units {units} have no final score in the bloc's ranking.",
    },
    "tie.not_tied": {
        "vi": "Các đơn vị không bằng điểm nhau ({totals}); chỉ xử lý trường hợp bằng điểm.",
        "en": "The units are not tied ({totals}); only a tie is resolved.",
    },
    "tie.incomplete": {
        "vi": "Các đơn vị {units} cũng có {total} điểm; thứ tự phải gồm mọi đơn vị bằng điểm.",
        "en": "Units {units} also have {total} points; the order must name every tied unit.",
    },
    "tie.reference_required": {
        "vi": "Cần số quyết định hoặc mã cuộc bỏ phiếu làm căn cứ.",
        "en": "Give the decision's number or the vote's identifier as the ground.",
    },
    "tie.already_resolved": {
        "vi": "Khối đã xử lý trường hợp bằng điểm ({total} điểm) của các đơn vị {units}.",
        "en": "The bloc has already resolved the tie at {total} points of units {units}.",
    },
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
