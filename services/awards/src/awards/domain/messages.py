"""What the awards service tells people, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "vote.exists": {"vi": "Cuộc bỏ phiếu {vote_id} đã được mở.", "en": "Vote {vote_id} is already open."},
    "vote.no_candidates": {"vi": "Cần ít nhất một đơn vị được đề cử.", "en": "Name at least one candidate."},
    "vote.candidates_not_members": {
        "vi": "Các đơn vị {units} không phải thành viên khối {bloc_id} năm đó.",
        "en": "Units {units} are not members of bloc {bloc_id} that year.",
    },
    "vote.ineligible_candidates": {
        "vi": "Không thể đề cử {units} cho {award_code} năm {year} theo {rule_version}: {reasons}",
        "en": "{units} cannot stand for {award_code} of {year} under {rule_version}: {reasons}",
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
        "vi": "Chưa đủ số phiếu: {ballots}/{members} thành viên đã bỏ phiếu, cần trên {quorum}.",
        "en": "No quorum: {ballots} of {members} members voted; more than {quorum} must.",
    },
    "vote.not_for_form": {
        "vi": "Theo bộ quy tắc {rule_version}, hình thức {award_code} không suy tôn bằng bỏ phiếu ở khối.",
        "en": "Under rulebook {rule_version}, {award_code} is not decided by a bloc's honouring vote.",
    },
    "vote.threshold_below_rulebook": {
        "vi": "Tỷ lệ tán thành {threshold} đòi hỏi ít hơn mức {minimum} của bộ quy tắc {rule_version} "
              "({citation}); khối chỉ được đặt mức cao hơn.",
        "en": "The threshold {threshold} asks for less than rulebook {rule_version} does ({minimum}, {citation}); "
              "a bloc may only ask for more.",
    },
    "vote.places": {
        "vi": "Số suất ({places}) phải từ 1 đến số đơn vị được đề cử ({candidates}).",
        "en": "The places ({places}) must be 1 to the number of candidates ({candidates}).",
    },
    "vote.no_tie": {
        "vi": "Cuộc bỏ phiếu {vote_id} chưa kết thúc hoặc không có đơn vị nào bằng phiếu ở suất cuối; "
              "không cần bỏ phiếu vòng sau.",
        "en": "Vote {vote_id} is not closed or has no tie at the last place; no further round is needed.",
    },
    "vote.runoff_differs": {
        "vi": "Vòng sau phải cùng khối ({bloc_id}), cùng năm ({year}) và cùng hình thức ({award_code}) với cuộc "
              "bỏ phiếu {vote_id}.",
        "en": "A further round has the bloc ({bloc_id}), year ({year}) and form ({award_code}) of vote {vote_id}.",
    },
    "vote.runoff_of_the_tied": {
        "vi": "Vòng sau của cuộc bỏ phiếu {vote_id} chỉ gồm các đơn vị bằng phiếu ({units}) cho {places} suất còn lại.",
        "en": "The further round of vote {vote_id} is among the tied units ({units}) for the {places} place(s) left.",
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
    "proposal.not_found": {"vi": "Không có hồ sơ đề nghị {proposal_id}.", "en": "No proposal {proposal_id}."},
    "what_if.unknown_rulebook": {
        "vi": "Không có bộ quy tắc phiên bản {version}; các phiên bản: {versions}.",
        "en": "There is no rulebook version {version}; the versions are: {versions}.",
    },
    "what_if.unknown_bloc": {
        "vi": "Không có khối thi đua {bloc_id} trong tỉnh; các khối: {blocs}.",
        "en": "There is no emulation bloc {bloc_id} in the province; the blocs are: {blocs}.",
    },
    "what_if.no_proposals": {
        "vi": "Khối {bloc_id} không có hồ sơ đề nghị khen thưởng nào năm {year}; các năm có hồ sơ: {years}.",
        "en": "Bloc {bloc_id} has no award proposals for {year}; the years with proposals: {years}.",
    },
    "proposal.filed_before_year": {
        "vi": "Hồ sơ ngày {filed_on} không thể đề nghị khen thưởng cho năm {year} chưa diễn ra.",
        "en": "A dossier dated {filed_on} cannot propose an award for {year}, which has not begun.",
    },
    "proposal.late": {
        "vi": "Quá hạn nộp hồ sơ {award_code} năm {year}: hạn là {deadline} ({citation}), hồ sơ ngày {filed_on}.",
        "en": "Too late for {award_code} of {year}: the deadline was {deadline} ({citation}); filed {filed_on}.",
    },
    "proposal.duplicate_documents": {
        "vi": "Mỗi loại tài liệu chỉ được nêu một lần: {kinds}.",
        "en": "Name each kind of document once: {kinds}.",
    },
    "proposal.vote_mismatch": {
        "vi": "Cuộc bỏ phiếu {vote_id} không suy tôn đơn vị {unit_id} nhận {award_code} năm {year}.",
        "en": "Vote {vote_id} did not honour unit {unit_id} for {award_code} of {year}.",
    },
    "proposal.not_eligible": {
        "vi": "Đơn vị {unit_id} chưa đủ điều kiện nhận {award_code} năm {year} theo {rule_version}: {reasons}",
        "en": "Unit {unit_id} is not eligible for {award_code} of {year} under {rule_version}: {reasons}",
    },
    "proposal.nothing_missing": {
        "vi": "Hồ sơ {proposal_id} đã có đủ tài liệu bắt buộc ({required}); hãy nêu tài liệu cần bổ sung.",
        "en": "Proposal {proposal_id} has every required document ({required}); name what must be added.",
    },
    "proposal.still_missing": {
        "vi": "Hồ sơ {proposal_id} vẫn thiếu: {missing}.",
        "en": "Proposal {proposal_id} still lacks: {missing}.",
    },
    "proposal.wrong_state": {
        "vi": "Hồ sơ {proposal_id} đang ở trạng thái {state}; thao tác này cần trạng thái {needed}.",
        "en": "Proposal {proposal_id} is {state}; this step needs it to be {needed}.",
    },
    "proposal.dossier_incomplete": {
        "vi": "Hồ sơ {proposal_id} còn thiếu {missing}; hãy trả lại để bổ sung trước khi trình Hội đồng.",
        "en": "Proposal {proposal_id} lacks {missing}; return it for completion before the council votes.",
    },
    "proposal.frozen": {
        "vi": "Hồ sơ {proposal_id} đang bị tạm dừng: {refs}. Chỉ tiếp tục khi đã gỡ tạm dừng.",
        "en": "Proposal {proposal_id} is frozen: {refs}. It goes on once the freeze is lifted.",
    },
    "proposal.not_central": {
        "vi": "Hình thức {award_code} do cấp tỉnh quyết định, không chuyển lên Trung ương.",
        "en": "{award_code} is decided by the province and is not forwarded to the central level.",
    },
    "proposal.forward_late": {
        "vi": "Quá hạn chuyển hồ sơ lên Trung ương: hạn là {deadline} ({citation}), ngày chuyển {forwarded_on}.",
        "en": "Too late to forward to the central level: the deadline was {deadline} ({citation}); "
              "forwarded {forwarded_on}.",
    },
    "proposal.form_gone": {
        "vi": "Bộ quy tắc {rule_version} không còn hình thức {award_code}.",
        "en": "Rulebook {rule_version} has no form {award_code}.",
    },
    "council.not_needed": {
        "vi": "Theo {rule_version}, hình thức {award_code} không cần Hội đồng bỏ phiếu; hãy ghi quyết định.",
        "en": "Under {rule_version}, {award_code} needs no council vote; record the decision.",
    },
    "council.bad_attendance": {
        "vi": "Số có mặt ({present}) và số phiếu bằng văn bản ({written_votes}) không thể vượt số thành viên "
              "({members}).",
        "en": "Those present ({present}) and the written votes ({written_votes}) cannot exceed the members "
              "({members}).",
    },
    "council.too_many_votes": {
        "vi": "Số phiếu đồng ý ({approve}) và không đồng ý ({reject}) vượt số người biểu quyết ({voters}).",
        "en": "Approvals ({approve}) and rejections ({reject}) exceed those who voted ({voters}).",
    },
    "council.no_quorum": {
        "vi": "Hội đồng chưa đủ số thành viên có mặt: {present}/{members}, cần {needed} ({citation}).",
        "en": "The council lacks a quorum: {present} of {members} present, {needed} needed ({citation}).",
    },
    "decision.before_filing": {
        "vi": "Ngày quyết định {decided_on} trước ngày lập hồ sơ {filed_on}.",
        "en": "The decision's date {decided_on} is before the dossier's {filed_on}.",
    },
    "decision.unit_inactive": {
        "vi": "Đơn vị {unit_id} không còn hoạt động (tình trạng: {status}); không thể quyết định khen thưởng.",
        "en": "Unit {unit_id} is no longer active (status: {status}); no award can be decided for it.",
    },
    "decision.not_eligible": {
        "vi": "Chưa thể quyết định khen thưởng {award_code} năm {year} theo {rule_version}: {reasons}",
        "en": "{award_code} of {year} cannot be decided under {rule_version}: {reasons}",
    },
    "proposal.duplicate": {
        "vi": "Đơn vị {unit_id} đã có hồ sơ {award_code} năm {year}: {proposals}.",
        "en": "Unit {unit_id} already has a proposal for {award_code} of {year}: {proposals}.",
    },
    "proposal.forward_incomplete": {
        "vi": "Hồ sơ chuyển Trung ương còn thiếu {missing}; hãy gửi kèm khi chuyển.",
        "en": "The dossier for the central level lacks {missing}; send it with the forwarding.",
    },
    "proposal.not_forwarded": {
        "vi": "Hồ sơ {proposal_id} chưa được chuyển lên Trung ương nên Trung ương chưa thể từ chối.",
        "en": "Proposal {proposal_id} was never forwarded, so the central level cannot reject it.",
    },
    "vote.no_eligible_candidates": {
        "vi": "Không thành viên nào của khối {bloc_id} đủ điều kiện {award_code} năm {year}; hãy nêu các đơn vị "
              "được đề cử hoặc xem /candidates.",
        "en": "No member of bloc {bloc_id} is eligible for {award_code} of {year}; name the candidates or see "
              "/candidates.",
    },
    "vote.opened_in_future": {
        "vi": "Ngày mở bỏ phiếu {opened_on} ở tương lai (hôm nay là {today}).",
        "en": "The vote's date {opened_on} is in the future (today is {today}).",
    },
    "vote.closed_in_future": {
        "vi": "Ngày kết thúc bỏ phiếu {closed_on} ở tương lai (hôm nay là {today}): ghi ngày đã kiểm phiếu.",
        "en": "The vote's closing day {closed_on} is in the future (today is {today}): give the day of the count.",
    },
    "vote.closed_before_opened": {
        "vi": "Ngày kết thúc bỏ phiếu {closed_on} trước ngày mở bỏ phiếu {opened_on}: ghi ngày kiểm phiếu từ ngày "
              "mở trở đi.",
        "en": "The vote's closing day {closed_on} is before the day it opened, {opened_on}: give a day from then on.",
    },
    "proposal.forward_over_quota": {
        "vi": "Không thể trình {award_code} năm {year} lên Trung ương theo {rule_version}, đã đủ số lượng: {reasons}",
        "en": "{award_code} of {year} cannot be forwarded under {rule_version}, the quota is full: {reasons}",
    },
    "proposal.forward_not_eligible": {
        "vi": "Không thể trình {award_code} năm {year} lên Trung ương theo {rule_version}: {reasons}",
        "en": "{award_code} of {year} cannot be forwarded under {rule_version}: {reasons}",
    },
    "import.rejected": {
        "vi": "Tệp có {count} lỗi cần sửa; chưa ghi xếp loại nào. {reasons}",
        "en": "The file has {count} problems to fix; no rating was recorded. {reasons}",
    },
    "import.rejected_listing_first": {
        "vi": "Tệp có {count} lỗi cần sửa, dưới đây là {listed} lỗi đầu tiên; chưa ghi xếp loại nào. {reasons}",
        "en": "The file has {count} problems to fix; the first {listed} are listed; no rating was recorded. {reasons}",
    },
    "import.missing_columns": {
        "vi": "Dòng {row}: thiếu cột {columns}; các cột của tệp: {expected}.",
        "en": "Row {row}: missing columns {columns}; the file's columns are: {expected}.",
    },
    "import.required": {"vi": "Dòng {row}: cần điền cột {column}.", "en": "Row {row}: fill in column {column}."},
    "import.unknown_unit": {
        "vi": "Dòng {row}: không có đơn vị \"{value}\" trong danh sách của tỉnh; ghi mã hoặc tên đơn vị.",
        "en": "Row {row}: the province has no unit \"{value}\"; write the unit's id or name."},
    "import.bad_year": {"vi": "Dòng {row}: năm \"{value}\" không hợp lệ.",
                        "en": "Row {row}: \"{value}\" is not a year."},
    "import.bad_choice": {
        "vi": "Dòng {row}, cột {column}: \"{value}\" không hợp lệ; chọn một trong: {choices}.",
        "en": "Row {row}, column {column}: \"{value}\" is not one of: {choices}."},
    "import.too_long": {"vi": "Dòng {row}: cột {column} dài {length} ký tự; tối đa {limit}.",
                        "en": "Row {row}: column {column} is {length} characters long; at most {limit}."},
    "import.bad_day": {"vi": "Dòng {row}, cột {column}: \"{value}\" không phải ngày dạng dd/mm/yyyy.",
                       "en": "Row {row}, column {column}: \"{value}\" is not a date as dd/mm/yyyy."},
    "import.twice": {"vi": "Dòng {row}: đơn vị {unit} năm {year} đã có ở dòng {first_row}.",
                     "en": "Row {row}: unit {unit} of {year} is already on row {first_row}."},
    "import.unreadable": {
        "vi": "Không đọc được tệp: {reason}. Hãy gửi tệp XLSX hoặc CSV (UTF-8).",
        "en": "The file cannot be read: {reason}. Send an XLSX or a CSV (UTF-8) file.",
    },
    "import.too_large": {"vi": "Tệp quá lớn ({size}); tối đa {limit}.",
                         "en": "The file is too large ({size}); at most {limit}."},
    "import.too_many_rows": {"vi": "Tệp có hơn {limit} dòng.", "en": "The file has more than {limit} rows."},
    "standing.not_found": {
        "vi": "Chưa ghi xếp loại hay tiêu chuẩn nào của đơn vị {unit_id} năm {year}.",
        "en": "Nothing is recorded yet of unit {unit_id}'s standing in {year}.",
    },
    "standing.before_year": {
        "vi": "Văn bản ngày {on} có trước năm {year} mà nó đánh giá; kiểm tra lại ngày hoặc năm.",
        "en": "A document of {on} comes before the year {year} it rates; check the date or the year.",
    },
    "standing.already_attested": {
        "vi": "Tiêu chuẩn {fact} năm {year} của đơn vị {unit_id} đã được xác nhận bằng văn bản {ref}.",
        "en": "{fact} of {year} is already attested for unit {unit_id} by document {ref}.",
    },
    "standing.not_attested": {
        "vi": "Tiêu chuẩn {fact} năm {year} của đơn vị {unit_id} chưa được xác nhận nên không thể rút.",
        "en": "{fact} of {year} is not attested for unit {unit_id}; there is nothing to withdraw.",
    },
    "decision.over_quota": {
        "vi": "Vượt hạn mức {award_code} năm {year} theo {rule_version}: {reasons}",
        "en": "Over the quota of {award_code} for {year} under {rule_version}: {reasons}",
    },
    "revoke.before_decision": {
        "vi": "Ngày thu hồi {revoked_on} trước ngày quyết định khen thưởng {decided_on}.",
        "en": "The revocation's date {revoked_on} is before the award's decision of {decided_on}.",
    },
    "freeze.exists": {"vi": "Đã tạm dừng theo {ref}.", "en": "Already frozen under {ref}."},
    "freeze.final": {
        "vi": "Hồ sơ {proposal_id} đã ở trạng thái {state}; không thể tạm dừng.",
        "en": "Proposal {proposal_id} is {state}; it cannot be frozen.",
    },
    "freeze.not_frozen": {
        "vi": "Không có tạm dừng nào theo {ref}; đang tạm dừng: {refs}.",
        "en": "Nothing is frozen under {ref}; frozen under: {refs}.",
    },
    "date.in_future": {
        "vi": "Ngày {on} ở tương lai (hôm nay là {today}); chỉ ghi nhận việc đã xảy ra.",
        "en": "{on} is in the future (today is {today}); record only what has happened.",
    },
    "rulebook.version_taken": {
        "vi": "Đã có phiên bản bộ quy tắc {version}; hãy đặt tên khác.",
        "en": "Rulebook version {version} exists already; choose another name.",
    },
    "rulebook.duplicate_forms": {
        "vi": "Mỗi hình thức chỉ được nêu một lần: {codes}.",
        "en": "Name each form once: {codes}.",
    },
    "rulebook.same_day": {
        "vi": "Phiên bản {versions} đã có hiệu lực từ {effective_from}; chọn ngày hiệu lực khác.",
        "en": "Version {versions} already takes effect on {effective_from}; choose another date.",
    },
    "rulebook.unknown_exclusive": {
        "vi": "Nhóm hình thức loại trừ nhau có hình thức {forms} không có trong bộ quy tắc.",
        "en": "A set of exclusive forms names {forms}, which the rulebook lacks.",
    },
    "rulebook.unknown_reference": {
        "vi": "Hình thức {form} dẫn chiếu hình thức {reference} không có trong bộ quy tắc.",
        "en": "Form {form} refers to form {reference}, which the rulebook lacks.",
    },
    # --- eligibility rules: one text when met, one when not ---
    "rule.registered.ok": {"vi": "Đơn vị {unit_id} đang hoạt động trong danh sách của tỉnh.",
                           "en": "Unit {unit_id} is registered and active."},
    "rule.registered.failed": {"vi": "Đơn vị {unit_id} không còn hoạt động (tình trạng: {status}).",
                               "en": "Unit {unit_id} is not active (status: {status})."},
    "rule.leads_bloc.ok": {"vi": "Xếp hạng {rank} trong {bloc_id} năm {year} (cần trong {places} vị trí đầu).",
                           "en": "Ranked {rank} in bloc {bloc_id} for {year} (the first {places} qualify)."},
    "rule.leads_bloc.failed": {
        "vi": "Không dẫn đầu {bloc_id} năm {year}: xếp hạng {rank}, cần trong {places} vị trí đầu "
              "của bảng xếp hạng đã công bố.",
        "en": "Does not lead bloc {bloc_id} in {year}: rank {rank}; the first {places} of the published ranking "
              "qualify."},
    "rule.honoured_by_vote.ok": {"vi": "Được khối suy tôn nhận {award_code} năm {year} (cuộc bỏ phiếu {votes}).",
                                 "en": "Honoured by the bloc for {award_code} of {year} (vote {votes})."},
    "rule.honoured_by_vote.failed": {
        "vi": "Chưa được khối suy tôn nhận {award_code} năm {year}; cần một cuộc bỏ phiếu đã kết thúc.",
        "en": "Not honoured by the bloc for {award_code} of {year}; a closed honouring vote is needed."},
    "rule.meets_form_standard.ok": {"vi": "Đạt tiêu chuẩn {form} năm {year} (xét theo các sự kiện đã ghi nhận).",
                                    "en": "Meets the {form} standard for {year} (judged from the recorded facts)."},
    "rule.meets_form_standard.failed": {
        "vi": "Chưa đạt tiêu chuẩn {form} năm {year}: chưa đạt {unmet}.",
        "en": "Does not meet the {form} standard for {year}: {unmet} not met."},
    "rule.exceeded_targets.ok": {
        "vi": "Hoàn thành {attained}/{targets} chỉ tiêu năm {year}, vượt mức: {beyond}.",
        "en": "Attained {attained} of {targets} targets in {year}, beyond plan: {beyond}."},
    "rule.exceeded_targets.failed": {
        "vi": "Chưa hoàn thành vượt mức các chỉ tiêu năm {year}: đạt {attained}/{targets}, chưa đạt {missed}, "
              "vượt mức {beyond} (đã ghi kết quả: {recorded}). Cần ghi kết quả các chỉ tiêu đã đăng ký.",
        "en": "Did not exceed its targets for {year}: {attained} of {targets} attained, missed {missed}, beyond "
              "plan {beyond} (results recorded: {recorded}). Record the results of the registered targets."},
    "rule.quality_rating.ok": {"vi": "Xếp loại chất lượng đạt yêu cầu ({rating}, {years} năm): {found}.",
                               "en": "Quality rating as required ({rating}, {years} years): {found}."},
    "rule.quality_rating.failed": {
        "vi": "Xếp loại chất lượng chưa đạt {rating} trong {years} năm liên tục: {found}; thiếu năm {short}. "
              "Tỉnh ghi xếp loại chất lượng hằng năm của đơn vị.",
        "en": "Quality rating not {rating} in {years} consecutive years: {found}; short in {short}. The province "
              "records each unit's yearly rating."},
    "rule.attested.ok": {"vi": "Đã xác nhận {fact} năm {year} (văn bản {ref}, ngày {on}).",
                         "en": "Attested {fact} for {year} (document {ref} of {on})."},
    "rule.attested.failed": {
        "vi": "Chưa có xác nhận {fact} năm {year}: ghi nhận tiêu chuẩn này kèm số văn bản xác nhận.",
        "en": "No attestation of {fact} for {year}: record this standard with the document that attests it."},
    "rule.one_form.ok": {"vi": "Chưa nhận hình thức khác cho thành tích năm {year} (trong {forms}).",
                         "en": "Holds no other form for the achievement of {year} (of {forms})."},
    "rule.one_form.failed": {
        "vi": "Một thành tích chỉ khen một hình thức: đơn vị {unit_id} đã có {held} cho thành tích năm {year}.",
        "en": "One achievement, one form: unit {unit_id} already holds {held} for the achievement of {year}."},
    "rule.quota_leaders.ok": {
        "vi": "Trong hạn mức: {used}/{limit} {award_code} năm {year} ({share} của {qualifying} tập thể được suy tôn "
              "dẫn đầu khối và đạt tiêu chuẩn {standard}: {qualifying_units}; không đạt: {failing_units}).",
        "en": "Within the quota: {used} of {limit} {award_code} for {year} ({share} of the {qualifying} collectives "
              "honoured as bloc leaders that meet the {standard} standard: {qualifying_units}; not meeting it: "
              "{failing_units})."},
    "rule.quota_leaders.nominee": {
        "vi": "Đề nghị vượt số lượng được phép: {used}/{limit} {award_code} năm {year} ({share} của {qualifying} tập "
              "thể dẫn đầu đạt tiêu chuẩn {standard}: {qualifying_units}). Hội đồng tỉnh so sánh các đề nghị; hạn mức "
              "áp dụng khi trình và khi quyết định.",
        "en": "A nominee beyond the quota: {used} of {limit} {award_code} for {year} ({share} of the {qualifying} "
              "qualifying leaders: {qualifying_units}). The provincial council compares the nominees; the quota binds "
              "the forwarding and the decision."},
    "rule.quota_leaders.failed": {
        "vi": "Vượt hạn mức: đã có {used}/{limit} {award_code} năm {year} ({share} của {qualifying} tập thể được suy "
              "tôn dẫn đầu khối và đạt tiêu chuẩn {standard}: {qualifying_units}; không đạt: {failing_units}).",
        "en": "Over the quota: {used} of {limit} {award_code} for {year} already ({share} of the {qualifying} "
              "collectives honoured as bloc leaders that meet the {standard} standard: {qualifying_units}; not "
              "meeting it: {failing_units})."},
    "rule.consecutive_titles.ok": {"vi": "Đạt {forms} {years} năm liên tục.",
                                   "en": "Awarded {forms} {years} years in a row."},
    "rule.consecutive_titles.failed": {
        "vi": "Chưa đạt {forms} {years} năm liên tục (tính từ năm {since} nếu đã được khen lần trước); "
              "thiếu năm {missing}.",
        "en": "Not awarded {forms} {years} years in a row (counted from {since} after the last such award); "
              "missing {missing}."},
    "rule.not_frozen.ok": {"vi": "Không bị tạm dừng xét khen thưởng.", "en": "No freeze is pending."},
    "rule.not_frozen.failed": {
        "vi": "Đang tạm dừng xét khen thưởng: {refs}.",
        "en": "Frozen while pending: {refs}."},
    "rule.any_of.ok": {"vi": "Đạt một trong các điều kiện: {met}.", "en": "Meets one of the grounds: {met}."},
    "rule.any_of.failed": {"vi": "Không đạt điều kiện nào trong: {rules}.", "en": "Meets none of: {rules}."},
    "rule.quota_bloc_year.ok": {"vi": "Trong hạn mức: {used}/{limit} {award_code} của {bloc_id} năm {year}.",
                                "en": "Within the quota: {used} of {limit} {award_code} for bloc {bloc_id} in {year}."},
    "rule.quota_bloc_year.failed": {
        "vi": "Vượt hạn mức: {bloc_id} đã có {used}/{limit} {award_code} năm {year}.",
        "en": "Over the quota: bloc {bloc_id} already has {used} of {limit} {award_code} for {year}."},
    "rule.quota_province_year.ok": {
        "vi": "Trong hạn mức: {used}/{limit} {award_code} năm {year} ({share} của {blocs} khối).",
        "en": "Within the quota: {used} of {limit} {award_code} for {year} ({share} of {blocs} blocs)."},
    "rule.quota_province_year.failed": {
        "vi": "Vượt hạn mức: tỉnh đã có {used}/{limit} {award_code} năm {year} ({share} của {blocs} khối).",
        "en": "Over the quota: the province already has {used} of {limit} {award_code} for {year} "
              "({share} of {blocs} blocs)."},
    # --- the rules' names, where a message lists rules ---
    "rule.name.registered": {"vi": "đang hoạt động", "en": "registered and active"},
    "rule.name.leads_bloc": {"vi": "dẫn đầu khối", "en": "leads its bloc"},
    "rule.name.honoured_by_vote": {"vi": "được khối suy tôn", "en": "honoured by its bloc's vote"},
    "rule.name.meets_form_standard": {"vi": "đạt tiêu chuẩn hình thức khác", "en": "meets another form's standard"},
    "rule.name.consecutive_titles": {"vi": "đạt danh hiệu các năm liên tục", "en": "titles in consecutive years"},
    "rule.name.not_frozen": {"vi": "không bị tạm dừng", "en": "not frozen"},
    "rule.name.exceeded_targets": {"vi": "hoàn thành vượt mức chỉ tiêu", "en": "exceeded its targets"},
    "rule.name.quality_rating": {"vi": "xếp loại chất lượng", "en": "quality rating"},
    "rule.name.attested": {"vi": "tiêu chuẩn được xác nhận", "en": "attested standard"},
    "rule.name.one_form": {"vi": "một thành tích một hình thức", "en": "one achievement, one form"},
    "rule.name.any_of": {"vi": "một trong các căn cứ", "en": "one of its grounds"},
    "rule.name.quota_leaders": {"vi": "hạn mức trong số đơn vị dẫn đầu đạt tiêu chuẩn",
                                "en": "the quota among the qualifying leaders"},
    "rule.name.quota_bloc_year": {"vi": "hạn mức của khối trong năm", "en": "the bloc's quota of the year"},
    "rule.name.quota_province_year": {"vi": "hạn mức của tỉnh trong năm", "en": "the province's quota of the year"},
    # --- values in words ---
    "value.rating.excellent": {"vi": "hoàn thành xuất sắc nhiệm vụ", "en": "excellent completion of tasks"},
    "value.rating.good": {"vi": "hoàn thành tốt nhiệm vụ", "en": "good completion of tasks"},
    "value.rating.completed": {"vi": "hoàn thành nhiệm vụ", "en": "completion of tasks"},
    "value.rating.not_completed": {"vi": "không hoàn thành nhiệm vụ", "en": "tasks not completed"},
    "value.fact.internal_unity": {"vi": "nội bộ đoàn kết", "en": "internal unity"},
    "value.fact.party_excellent": {"vi": "tổ chức đảng, đoàn thể hoàn thành xuất sắc nhiệm vụ",
                                   "en": "Party and mass organisations rated excellent"},
    "value.fact.new_models": {"vi": "có mô hình mới, cách làm hay", "en": "new models and initiatives"},
    "value.fact.member_titles": {
        "vi": "danh hiệu thi đua của các cá nhân trong tập thể (tiêu chuẩn dựa trên danh hiệu cá nhân, "
              "thidua không lưu; cần văn bản xác nhận)",
        "en": "the members' individual emulation titles (a standard resting on individual titles, which thidua "
              "does not hold; needs an attesting document)"},
}
