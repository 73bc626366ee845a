from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "site", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "last_name"]
    exclude = ["password", "user_permissions", "groups"]
