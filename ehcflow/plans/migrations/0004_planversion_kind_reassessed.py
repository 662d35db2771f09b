"""The plan after re-assessment gets its own version kind (ehcflow.reassessment; SEND Regulations 2014 reg 27).

Versions already kept for a re-assessment were stored as "amended": each completed re-assessment's version is the
last "amended" version of its plan issued on the day the plan after re-assessment was issued (the step writes it
last, inside its own transaction). Reversing puts them back to "amended".
"""

from django.db import migrations, models


def relabel(apps, schema_editor):
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Reassessment = apps.get_model("reassessment", "Reassessment")
    for plan_id, issued_on in Reassessment.objects.filter(plan_issued_on__isnull=False).values_list(
            "plan_id", "plan_issued_on"):
        version = (PlanVersion.objects.filter(plan_id=plan_id, issued_on=issued_on, kind="amended")
                   .order_by("-number").first())
        if version is not None:
            PlanVersion.objects.filter(pk=version.pk).update(kind="reassessed")


def unlabel(apps, schema_editor):
    apps.get_model("plans", "PlanVersion").objects.filter(kind="reassessed").update(kind="amended")


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0003_planversion_kind_moved_in"),
        ("reassessment", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="planversion",
            name="kind",
            field=models.CharField(choices=[("final", "Final plan"), ("amended", "Amended plan"),
                                            ("moved_in", "Plan as transferred in from another council"),
                                            ("reassessed", "Plan after re-assessment")], max_length=10),
        ),
        migrations.RunPython(relabel, unlabel),
    ]
