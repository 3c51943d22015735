"""Read-only views of the outbox and subscriptions for superusers (operations, not editing:
rows change state only through dispatch and the subscription services)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.digests import services
from notifications.models import OutboxMessage, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "recipient", "state", "due_at", "attempts", "smtp_code")
    list_filter = ("state", "kind", "language")
    search_fields = ("recipient", "dedupe_key", "message_id")
    date_hierarchy = "due_at"


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("email", "region", "state", "language", "timezone", "last_digest_week")
    list_filter = ("state", "region", "language")
    search_fields = ("email",)
    exclude = ("confirm_token", "unsubscribe_token")
    actions = ("rotate_links",)

    @admin.action(description=_("Give new links (the old ones stop working)"))
    def rotate_links(self, request, queryset):
        """For a link that leaked: the subscription stays, its links change."""
        count = 0
        for subscription in queryset.order_by("pk"):
            services.rotate_link_tokens(subscription=subscription)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d subscription has new links.",
                "%(count)d subscriptions have new links.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
