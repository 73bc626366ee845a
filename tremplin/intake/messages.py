"""Words for the problems the file reader finds (tremplin.engine.tabular gives codes only).

Problems are stored as codes with parameters and worded when shown, in the reader's language.
``tests/intake/test_messages.py`` checks every code the reader can give has its sentence here.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.engine.tabular import Problem

from .columns import column_headers

MESSAGES: dict[str, Promise] = {
    # The file as a whole.
    "empty": gettext_lazy("Le fichier est vide."),
    "too_large": gettext_lazy(
        "Le fichier dépasse %(limit_mb)s Mo : découpez la liste en plusieurs fichiers."
    ),
    "legacy_excel": gettext_lazy(
        "Ce fichier est au format Excel 97-2003 (.xls) : enregistrez-le au format .xlsx ou "
        "CSV, puis déposez-le à nouveau."
    ),
    "utf16": gettext_lazy(
        "Ce fichier texte est encodé en UTF-16 (« Texte Unicode ») : enregistrez-le en "
        "« CSV UTF-8 » ou en « CSV (séparateur : point-virgule) », puis déposez-le à nouveau."
    ),
    "encoding": gettext_lazy(
        "L'encodage du fichier n'est pas reconnu (ni UTF-8, ni Windows-1252) : enregistrez-le "
        "en « CSV UTF-8 » ou au format .xlsx."
    ),
    "binary": gettext_lazy(
        "Ce fichier n'est ni un classeur .xlsx ni un fichier CSV lisible : déposez la liste au "
        "format .xlsx ou CSV."
    ),
    "malformed_csv": gettext_lazy(
        "Le fichier CSV est mal formé vers la ligne %(row)s (guillemet non fermé ?) : "
        "vérifiez-le ou enregistrez-le à nouveau depuis le tableur."
    ),
    "bad_xlsx": gettext_lazy(
        "Ce fichier n'est pas un classeur .xlsx lisible (fichier abîmé ou d'un autre type) : "
        "enregistrez-le à nouveau depuis le tableur."
    ),
    "zip_bomb": gettext_lazy(
        "Ce classeur se décompresse en une taille anormale : il est refusé par sécurité. "
        "Enregistrez la liste dans un nouveau classeur ou en CSV."
    ),
    "too_many_rows": gettext_lazy(
        "Le fichier compte plus de %(limit)s lignes : découpez la liste en plusieurs fichiers."
    ),
    "no_rows": gettext_lazy(
        "Le fichier ne contient que la ligne d'en-tête : aucune personne à importer."
    ),
    "missing_columns": gettext_lazy(
        "Colonnes obligatoires absentes : %(columns)s. Partez du modèle à télécharger sur cette "
        "page."
    ),
    "unknown_column": gettext_lazy(
        "Colonne inconnue « %(header)s » : renommez-la avec un nom de la liste des colonnes, "
        "ou supprimez-la."
    ),
    "unknown_column_suggestion": gettext_lazy(
        "Colonne inconnue « %(header)s » : vouliez-vous dire « %(suggestion)s » ? Renommez-la, "
        "ou supprimez-la."
    ),
    "duplicate_column": gettext_lazy(
        "La colonne « %(header)s » fait double emploi avec « %(first)s » : gardez-en une seule."
    ),
    "unnamed_column": gettext_lazy(
        "Ligne %(row)s, la colonne n° %(position)s contient une valeur mais n'a pas de titre : "
        "donnez-lui un titre de la liste des colonnes, ou videz-la."
    ),
    # One cell.
    "required": gettext_lazy("Valeur obligatoire manquante."),
    "formula": gettext_lazy(
        "La cellule commence par « %(sign)s » : les formules ne sont pas acceptées. Saisissez "
        "la valeur elle-même, sans signe en tête."
    ),
    "too_long": gettext_lazy("Texte trop long (%(max_length)s caractères au plus)."),
    "bad_date": gettext_lazy(
        "« %(value)s » n'est pas une date : écrivez-la JJ/MM/AAAA, par exemple 21/06/1994."
    ),
    "date_short_year": gettext_lazy(
        "« %(value)s » : écrivez l'année sur quatre chiffres (JJ/MM/AAAA)."
    ),
    "date_in_future": gettext_lazy("La date %(value)s est dans le futur."),
    "age_out_of_bounds": gettext_lazy(
        "La date de naissance semble erronée (âge de %(age)s ans ; de %(low)s à %(high)s ans "
        "attendu)."
    ),
    "bad_yes_no": gettext_lazy("« %(value)s » : répondez « oui » ou « non »."),
    "must_be_yes": gettext_lazy(
        "Sans le consentement de la personne (« oui »), elle ne peut pas être orientée."
    ),
    "bad_postal_code": gettext_lazy("« %(value)s » : le code postal compte cinq chiffres."),
    "bad_phone": gettext_lazy(
        "« %(value)s » n'est pas un numéro de téléphone, par exemple 06 12 34 56 78."
    ),
    "bad_email": gettext_lazy("« %(value)s » n'est pas une adresse électronique."),
    "bad_name": gettext_lazy(
        "« %(value)s » : un nom ne contient que des lettres, espaces, traits d'union et "
        "apostrophes."
    ),
    "nir": gettext_lazy(
        "Ne saisissez pas de numéro de sécurité sociale : Tremplin n'en a pas besoin. "
        "Supprimez-le de cette cellule, puis déposez le fichier à nouveau."
    ),
    "bad_choice": gettext_lazy(
        "« %(value)s » n'est pas reconnu ; valeurs possibles : %(expected)s."
    ),
}


def problem_text(code: str, params: dict[str, Any]) -> str:
    if code == "unknown_column" and params.get("suggestion"):
        code = "unknown_column_suggestion"
    template = MESSAGES.get(code)
    if template is None:
        return _("Valeur refusée (%(code)s).") % {"code": code}
    return str(template) % params if params else str(template)


def describe(problem: Problem | dict[str, Any]) -> dict[str, Any]:
    """A problem as the preview shows it: row, column header and sentence."""
    if isinstance(problem, Problem):
        row, column, code, params = problem.row, problem.column, problem.code, problem.params
    else:
        row, column = problem.get("row"), problem.get("column")
        code, params = problem["code"], problem.get("params", {})
    return {
        "row": row,
        "column": column_headers().get(column, column or "") if column else "",
        "message": problem_text(code, dict(params)),
    }


def file_error_text(problems: list[Problem]) -> str:
    """The reasons a file was refused as a whole, in one paragraph."""
    return " ".join(problem_text(p.code, dict(p.params)) for p in problems)
