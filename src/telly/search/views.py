from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from telly.search.forms import KIND_LABELS, SearchForm
from telly.search.query import facets, search

SECTIONS = ("title", "person", "character", "channel", "provider")
SUGGESTIONS = 8


def results(request: HttpRequest) -> HttpResponse:
    """``/search/?q=``: a section per kind, or one kind with filters (``&kind=title``)."""
    form = SearchForm(request.GET or None)
    context = {
        "form": form,
        "q": "",
        "kind": "",
        "kind_labels": KIND_LABELS,
        "sections": [],
        "results": [],
    }
    if not form.is_bound:
        return render(request, "search/results.html", context)
    if not form.is_valid():
        return render(request, "search/results.html", context, status=400)
    data = form.cleaned_data
    q, kind = data["q"].strip(), data["kind"] or ""
    context.update(q=q, kind=kind)
    if kind or form.has_filters:
        context["results"] = search(
            q,
            kind or None,
            50,
            genre=data["genre"] or None,
            year_from=data["year_from"],
            year_to=data["year_to"],
            provider=data["provider"] or None,
            region=request.region,  # type: ignore[attr-defined]
            on_tv=data["on_tv"],
        )
    else:
        found = facets(q)
        context["sections"] = [(k, KIND_LABELS[k], found[k]) for k in SECTIONS if found.get(k)]
    context["tabs"] = [
        ("", "Everything"),
        *(
            (k, KIND_LABELS[k])
            for k in ("series", "film", "person", "character", "channel", "provider")
        ),
    ]
    return render(request, "search/results.html", context)


def suggest(request: HttpRequest) -> HttpResponse:
    """The header box's live suggestions (htmx): a short list, or nothing."""
    q = (request.GET.get("q") or "")[:200]
    found = search(q, None, SUGGESTIONS) if q.strip() else []
    return render(request, "search/_suggest.html", {"q": q, "results": found})
