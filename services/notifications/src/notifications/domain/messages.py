"""What the notifications service tells people in errors, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "notification_settings.unchanged": {
        "vi": "Thiết lập thông báo của tỉnh {province} không thay đổi: các giá trị gửi lên giống hệt thiết lập hiện "
              "hành (xem bằng GET .../notification-settings).",
        "en": "The notification settings of province {province} are unchanged: what was sent equals the settings in "
              "force (see them with GET .../notification-settings).",
    },
    "subscription.exists": {
        "vi": "Đã có đăng ký {subscription_id}: chọn mã khác, hoặc bỏ trống để hệ thống tự đặt.",
        "en": "Subscription {subscription_id} already exists: choose another id, or leave it out to get one.",
    },
    "subscription.url_not_a_url": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: không phải là một địa chỉ URL. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: it is not a URL. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.url_scheme": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: chỉ gửi tới địa chỉ http hoặc https. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: only http and https URLs are delivered to. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.url_no_host": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: địa chỉ không có tên máy chủ. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: it names no host. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.url_credentials": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: địa chỉ có kèm tên đăng nhập hoặc mật khẩu. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: it carries a user or password. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.url_fragment": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: phần sau dấu # không bao giờ được gửi tới máy chủ. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: a fragment (#...) is never sent to a server. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.url_port": {
        "vi": "Địa chỉ nhận webhook {url} không dùng được: số cổng nằm ngoài khoảng 1–65535. "
              "Dùng địa chỉ http hoặc https, không kèm tên đăng nhập hay mật khẩu (chữ ký xác thực từng lần gửi).",
        "en": "The webhook URL {url} cannot be used: its port is outside 1–65535. "
              "Give an http or https URL without a user or password (the signature authenticates each delivery).",
    },
    "subscription.unknown_event_types": {
        "vi": "Không có loại sự kiện {event_types} để đăng ký. Các loại có thể nhận: {known}.",
        "en": "There are no event types {event_types} to subscribe to. The types delivered: {known}.",
    },
    "subscription.foreign_province": {
        "vi": "Mã truy cập này chỉ được đăng ký nhận sự kiện của tỉnh {province}, không được của {provinces}.",
        "en": "This token may subscribe to the events of province {province} only, not of {provinces}.",
    },
    "subscription.not_found": {
        "vi": "Không có đăng ký {subscription_id} của bạn (xem danh sách bằng GET .../subscriptions).",
        "en": "You have no subscription {subscription_id} (list yours with GET .../subscriptions).",
    },
    "subscription.revoked": {
        "vi": "Đăng ký {subscription_id} đã bị hủy: không thể thay đổi nữa; hãy tạo đăng ký mới.",
        "en": "Subscription {subscription_id} was revoked and can no longer change; create a new one.",
    },
    "subscription.already_paused": {
        "vi": "Đăng ký {subscription_id} đang tạm dừng; muốn nhận tiếp thì gửi yêu cầu tiếp tục (resumption).",
        "en": "Subscription {subscription_id} is paused already; ask for its resumption to receive again.",
    },
    "subscription.not_paused": {
        "vi": "Đăng ký {subscription_id} không tạm dừng nên không cần tiếp tục.",
        "en": "Subscription {subscription_id} is not paused: there is nothing to resume.",
    },
    "subscription.nothing_to_redeliver": {
        "vi": "Đăng ký {subscription_id} không có lần gửi nào từ vị trí {from_position} trở đi (xem GET "
              ".../deliveries?subscription_id=...).",
        "en": "Subscription {subscription_id} has no delivery from position {from_position} on (see GET "
              ".../deliveries?subscription_id=...).",
    },
    "notification.not_found": {
        "vi": "Không có thông báo {notification_id} trong tỉnh này.",
        "en": "There is no notification {notification_id} in this province.",
    },
}
