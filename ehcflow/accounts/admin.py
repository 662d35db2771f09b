"""Django admin for the platform operator (superusers): councils, teams, staff and settings.

Children's records are deliberately not registered: they are reached only through the service's pages,
where access is scoped and every view is recorded.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from ehcflow.accounts.models import User
from ehcflow.people.models import Setting
from ehcflow.teams.models import Team
from ehcflow.tenancy.models import LocalAuthority


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "first_name", "last_name", "la", "role", "is_active")
    list_filter = ("la", "role", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Council", {"fields": ("la", "role", "teams", "job_title", "phone")}),)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "la")
    list_filter = ("la",)


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    list_display = ("name", "urn", "ukprn", "phase", "kind", "is_open")
    list_filter = ("phase", "kind", "is_open")
    search_fields = ("name", "urn", "ukprn")
