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
    "unit.left_after_end": {
        "vi": "Đơn vị {unit_id} rời khối {bloc_id} ngày {left_on}, sau ngày {day}; hãy ghi ngày kết thúc "
              "từ {left_on} trở đi hoặc đính chính quyết định rời khối.",
        "en": "Unit {unit_id} left bloc {bloc_id} on {left_on}, after {day}; end the unit on or after "
              "{left_on}, or correct the departure.",
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
    "import.rejected": {
        "vi": "Tệp có {count} dòng cần sửa; chưa có dữ liệu nào được nhập.",
        "en": "{count} rows of the file need fixing; nothing was imported.",
    },
    "import.rejected_listing_first": {
        "vi": "Tệp có {count} lỗi cần sửa, dưới đây là {listed} lỗi đầu tiên; chưa có dữ liệu nào được nhập.",
        "en": "The file has {count} problems to fix; the first {listed} are listed; nothing was imported.",
    },
    "import.too_large": {
        "vi": "Tệp quá lớn ({size}); tối đa {limit}. Hãy chia tệp thành nhiều phần rồi nhập lần lượt.",
        "en": "The file is too large ({size}); at most {limit}. Split it into parts and import them one by one.",
    },
    "import.too_many_rows": {
        "vi": "Tệp có hơn {limit} dòng; hãy chia tệp thành nhiều phần, mỗi phần tối đa {limit} dòng.",
        "en": "The file has more than {limit} rows; split it into parts of at most {limit} rows each.",
    },
    "import.wrong_delimiter": {
        "vi": "Các cột của tệp dường như được ngăn cách bằng {found}; hãy gửi kèm tham số delimiter={name}.",
        "en": "The file's columns seem to be separated by {found}; send it with the parameter delimiter={name}.",
    },
    "import.busy": {
        "vi": "Sổ đăng ký đã thay đổi trong lúc kiểm tra tệp ({attempts} lần); chưa có dữ liệu nào được nhập, "
              "hãy gửi lại tệp.",
        "en": "The registry changed while the file was being checked ({attempts} times); nothing was imported; "
              "send the file again.",
    },
    "import.missing_columns": {
        "vi": "Thiếu cột {columns}; các cột của tệp: {expected}.",
        "en": "Missing columns {columns}; the file's columns are: {expected}.",
    },
    "import.unreadable": {
        "vi": "Không đọc được tệp: {reason}. Hãy gửi tệp CSV (UTF-8, theo RFC 4180) hoặc XLSX.",
        "en": "The file cannot be read: {reason}. Send a CSV (UTF-8, as RFC 4180 says) or XLSX file.",
    },
    "import.bad_identifier": {
        "vi": "Cột {column}: \"{value}\" không hợp lệ; chỉ dùng chữ thường, số và dấu gạch ngang.",
        "en": "Column {column}: \"{value}\" is not valid; use lower-case letters, digits and hyphens.",
    },
    "import.bad_email": {
        "vi": "Cột {column}: \"{value}\" không phải địa chỉ thư điện tử.",
        "en": "Column {column}: \"{value}\" is not an e-mail address.",
    },
    "import.too_long": {
        "vi": "Cột {column} dài {length} ký tự; tối đa {limit} ký tự.",
        "en": "Column {column} is {length} characters long; at most {limit}.",
    },
    "import.required": {"vi": "Cần điền cột {column}.", "en": "Fill in column {column}."},
    "import.bad_choice": {
        "vi": "Cột {column}: \"{value}\" không hợp lệ; chọn một trong: {choices}.",
        "en": "Column {column}: \"{value}\" is not one of: {choices}.",
    },
    "import.bad_date": {
        "vi": "Cột {column}: \"{value}\" không phải một ngày; ghi dạng dd/mm/yyyy, ví dụ 01/01/2024.",
        "en": "Column {column}: \"{value}\" is not a day; write it as dd/mm/yyyy, e.g. 01/01/2024.",
    },
    "import.unit_differs": {
        "vi": "Đơn vị {unit_id} được ghi khác với dòng {first_row}.",
        "en": "Unit {unit_id} is written differently from row {first_row}.",
    },
    "import.bloc_differs": {
        "vi": "Khối {bloc_id} được ghi khác với dòng {first_row}.",
        "en": "Bloc {bloc_id} is written differently from row {first_row}.",
    },
    "import.unit_registered_differently": {
        "vi": "Đơn vị {unit_id} đã được đăng ký khác với tệp ở cột {columns}; hãy sửa tệp hoặc cập nhật "
              "đơn vị (ví dụ đổi tên) trước.",
        "en": "Unit {unit_id} is registered differently from the file in columns {columns}; fix the file or "
              "update the unit (e.g. rename it) first.",
    },
    "import.bloc_registered_differently": {
        "vi": "Khối {bloc_id} đã được thành lập khác với tệp ở cột {columns}.",
        "en": "Bloc {bloc_id} is established differently from the file in columns {columns}.",
    },
    "merge.no_sources": {
        "vi": "Cần ít nhất một đơn vị được sáp nhập.",
        "en": "Name at least one unit to merge.",
    },
    "merge.into_itself": {
        "vi": "Đơn vị {unit_id} không thể sáp nhập vào chính nó.",
        "en": "Unit {unit_id} cannot merge into itself.",
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
    "value.role.chair": {"vi": "trưởng khối", "en": "chair"},
    "value.role.vice_chair": {"vi": "phó khối", "en": "vice-chair"},
    "election.chair_rest": {
        "vi": "Đơn vị {unit_id} làm trưởng khối năm {other_year}; theo quy định của tỉnh, một đơn vị làm trưởng "
              "khối phải cách {rest} năm mới được làm lại, nên không thể làm trưởng khối năm {year}.",
        "en": "Unit {unit_id} chairs the bloc in {other_year}; the province's rule has a chair wait {rest} year(s) "
              "before chairing again, so it cannot chair in {year}.",
    },
    "election.no_majority": {
        "vi": "Chưa trúng cử: {votes_for} phiếu tán thành trên {members} thành viên; theo quy định của tỉnh cần "
              "quá {percent}% số thành viên, tức ít nhất {needed} phiếu.",
        "en": "Not elected: {votes_for} votes for out of {members} members; the province's rule needs more than "
              "{percent}% of the members, that is at least {needed} votes.",
    },
    "election.vice_chair_preferred": {
        "vi": "Tỉnh ưu tiên phó khối năm {before} (đơn vị {unit_id}) làm trưởng khối năm {year}; bầu đơn vị khác "
              "cần nêu lý do (passed_over_reason).",
        "en": "The province prefers the {before} vice-chair (unit {unit_id}) as chair for {year}; electing another "
              "unit needs a reason (passed_over_reason).",
    },
    "election.not_found": {
        "vi": "Khối {bloc_id} chưa bầu {role} năm {year}; ghi nhận kết quả bầu trước khi công nhận.",
        "en": "Bloc {bloc_id} has not elected its {role} for {year}; record the election before confirming it.",
    },
    "election.already_confirmed": {
        "vi": "Tỉnh đã công nhận {role} năm {year} (đơn vị {unit_id}).",
        "en": "The province has already confirmed the {role} for {year} (unit {unit_id}).",
    },
    "election.confirmed_before_vote": {
        "vi": "Ngày công nhận {on} trước ngày bầu {elected_on}.",
        "en": "The confirmation day {on} is before the election day {elected_on}.",
    },
    "settings.nothing_to_change": {
        "vi": "Không có thiết lập nào để thay đổi; hãy gửi ít nhất một trong chair_rest_years, "
              "election_majority_percent, outgoing_vice_chair_preferred.",
        "en": "Nothing to change; send at least one of chair_rest_years, election_majority_percent, "
              "outgoing_vice_chair_preferred.",
    },
    "settings.chair_rest_years": {
        "vi": "Số năm nghỉ giữa hai lần làm trưởng khối phải từ 0 đến 10 (nhận được {value}).",
        "en": "The years between two terms as chair must be 0 to 10 (got {value}).",
    },
    "settings.election_majority_percent": {
        "vi": "Tỷ lệ trúng cử phải từ 50 đến 90 phần trăm số thành viên (nhận được {value}).",
        "en": "The share that elects must be 50 to 90 percent of the members (got {value}).",
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
    "province.no_consent": {
        "vi": "Tỉnh {provinces} chưa đồng ý hợp nhất vào tỉnh {into}; quản trị của tỉnh đó ghi nhận trước "
              "(POST /provinces/<mã>/merger-consents).",
        "en": "Province {provinces} has not agreed to merge into {into}; its own admin records that first "
              "(POST /provinces/<code>/merger-consents).",
    },
    "province.merged": {
        "vi": "Tỉnh {province} đã được hợp nhất vào tỉnh {into}.",
        "en": "Province {province} has already merged into {into}.",
    },
    "province.merge_into_itself": {
        "vi": "Tỉnh {province} không thể hợp nhất vào chính nó.",
        "en": "Province {province} cannot merge into itself.",
    },
    "province.legal_basis_required": {
        "vi": "Cần nêu căn cứ pháp lý của việc hợp nhất (ví dụ Nghị quyết của Quốc hội).",
        "en": "Name the legal basis of the merger (e.g. the National Assembly's resolution).",
    },
    "province.not_registered": {
        "vi": "Tỉnh {province} chưa được đăng ký; hãy đăng ký tỉnh trước.",
        "en": "Province {province} is not registered yet; register it first.",
    },
    "election.same_unit_both_roles": {
        "vi": "Đơn vị {unit_id} không thể vừa là trưởng khối vừa là phó khối năm {year}.",
        "en": "Unit {unit_id} cannot be both chair and vice-chair in {year}.",
    },
    "election.day_outside_year": {
        "vi": "Ngày bầu {day} không hợp lệ cho nhiệm kỳ năm {year}: khối bầu trưởng, phó khối của năm {year} "
              "trong năm {before} hoặc năm {year}.",
        "en": "The election day {day} does not fit the {year} term: a bloc elects its {year} chair and vice-chair "
              "in {before} or {year}.",
    },
    "date.in_future": {
        "vi": "Ngày {on} ở tương lai (hôm nay là {today}); chỉ ghi nhận việc đã xảy ra.",
        "en": "{on} is in the future (today is {today}); record only what has happened.",
    },
    "account.bad_username": {
        "vi": "Tên đăng nhập \"{username}\" không hợp lệ: dùng 3 đến 40 ký tự gồm chữ thường không dấu, chữ số, "
              "dấu chấm, gạch ngang hoặc gạch dưới (ví dụ lua.dt).",
        "en": "The username \"{username}\" is not valid: use 3 to 40 lower-case letters, digits, dots, dashes or "
              "underscores (e.g. lua.dt).",
    },
    "account.exists": {
        "vi": "Tên đăng nhập {username} đã có người dùng; hãy chọn tên khác.",
        "en": "The username {username} is already taken; choose another.",
    },
    "account.bad_role": {
        "vi": "Vai trò {role} không dùng cho tài khoản; chọn một trong: {roles}.",
        "en": "The role {role} is not one an account can have; choose one of: {roles}.",
    },
    "account.full_name_required": {"vi": "Cần nhập họ và tên (full_name).",
                                   "en": "The account needs the person's full name (full_name)."},
    "account.unit_required": {
        "vi": "Tài khoản cán bộ đơn vị (unit_officer) cần nêu đơn vị (unit_id) đã đăng ký của tỉnh.",
        "en": "A unit officer's account (unit_officer) needs the registered unit it acts for (unit_id).",
    },
    "account.bloc_required": {
        "vi": "Tài khoản thư ký khối (bloc_secretary) cần nêu khối thi đua (bloc_id) đã thành lập của tỉnh.",
        "en": "A bloc secretary's account (bloc_secretary) needs the established bloc it acts for (bloc_id).",
    },
    "account.unit_not_for_role": {
        "vi": "Chỉ tài khoản cán bộ đơn vị (unit_officer) mới nêu đơn vị (unit_id); vai trò {role} thì bỏ trống.",
        "en": "Only a unit officer's account (unit_officer) names a unit (unit_id); leave it out for the role {role}.",
    },
    "account.bloc_not_for_role": {
        "vi": "Chỉ tài khoản thư ký khối (bloc_secretary) mới nêu khối (bloc_id); vai trò {role} thì bỏ trống.",
        "en": "Only a bloc secretary's account (bloc_secretary) names a bloc (bloc_id); leave it out for the role "
              "{role}.",
    },
    "account.not_found": {
        "vi": "Không tìm thấy tài khoản {username}.",
        "en": "No account {username}.",
    },
    "account.bad_credentials": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "en": "Wrong username or password.",
    },
    "account.locked_now": {
        "vi": "Sai mật khẩu {failures} lần liên tiếp: tài khoản {username} đã bị khóa; hãy đề nghị quản trị viên "
              "của tỉnh mở khóa.",
        "en": "{failures} wrong passwords in a row: the account {username} is now locked; ask the province's "
              "administrator to unlock it.",
    },
    "account.locked": {
        "vi": "Tài khoản {username} đã bị khóa do nhập sai mật khẩu nhiều lần; hãy đề nghị quản trị viên của tỉnh "
              "mở khóa.",
        "en": "The account {username} is locked after too many wrong passwords; ask the province's administrator "
              "to unlock it.",
    },
    "account.disabled": {
        "vi": "Tài khoản {username} đã bị vô hiệu hóa; hãy liên hệ quản trị viên của tỉnh.",
        "en": "The account {username} is disabled; ask the province's administrator.",
    },
    "account.disabled_for_good": {
        "vi": "Tài khoản {username} đã bị vô hiệu hóa; không thể đổi mật khẩu.",
        "en": "The account {username} is disabled; its password cannot change.",
    },
    "account.not_locked": {
        "vi": "Tài khoản {username} không bị khóa; không cần mở khóa.",
        "en": "The account {username} is not locked; there is nothing to unlock.",
    },
    "account.already_disabled": {
        "vi": "Tài khoản {username} đã bị vô hiệu hóa từ trước.",
        "en": "The account {username} is already disabled.",
    },
    "account.password_too_short": {
        "vi": "{field}: mật khẩu cần ít nhất {minimum} ký tự.",
        "en": "{field}: the password needs at least {minimum} characters.",
    },
    "account.password_contains_username": {
        "vi": "{field}: mật khẩu không được chứa tên đăng nhập ({username}).",
        "en": "{field}: the password must not contain the username ({username}).",
    },
    "account.current_password_required": {
        "vi": "{field}: cần nhập mật khẩu hiện tại để đổi mật khẩu.",
        "en": "{field}: give the current password to change it.",
    },
    "account.wrong_current_password": {
        "vi": "{field}: mật khẩu hiện tại không đúng.",
        "en": "{field}: the current password is wrong.",
    },
    "account.not_yours": {
        "vi": "Chỉ quản trị viên của tỉnh hoặc chính người dùng {username} mới làm được việc này.",
        "en": "Only the province's administrator or {username} themselves can do this.",
    },
}
