"""What the notifications service tells people in errors, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {
    "notification_settings.unchanged": {
        "vi": "Thiết lập thông báo của tỉnh {province} không thay đổi: các giá trị gửi lên giống hệt thiết lập hiện "
              "hành (xem bằng GET .../notification-settings).",
        "en": "The notification settings of province {province} are unchanged: what was sent equals the settings in "
              "force (see them with GET .../notification-settings).",
    },
}
