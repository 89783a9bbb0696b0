"""``ftz-kg build``, ``validate`` and ``export``: the commands that write or read the graph files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import handle_errors, out_option

RDF_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld", "xml"]
NETWORK_FORMATS = ["graphml", "gexf", "csv"]


def register(group: click.Group) -> None:
    """Add the graph-file commands to ``group``."""

    @group.command()
    @click.argument("paths", nargs=-1, type=click.Path())
    @out_option("Output folder.")
    @click.option(
        "--strict",
        is_flag=True,
        help="Fail on an empty or unreadable file in a folder instead of skipping it.",
    )
    @click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes for extraction (default: all cores).",
    )
    @click.option(
        "--engine",
        type=click.Choice(["auto", "serial", "process", "dask"]),
        default="auto",
        show_default=True,
        help="How documents are extracted: auto uses a process pool when there is enough text; "
        "dask runs on the cluster of DASK_SCHEDULER_ADDRESS or on local processes.",
    )
    @click.option(
        "--no-cache",
        is_flag=True,
        help="Extract every document again and ignore OUT/cache (the cache is not updated).",
    )
    @handle_errors
    def build(
        paths: tuple[str, ...],
        out_dir: str,
        strict: bool,
        jobs: int | None,
        engine: str,
        no_cache: bool,
    ) -> None:
        """Build the graph from text files or folders (default: seeds/) into OUT.

        Writes OUT/kg.ttl (the whole graph) and OUT/kg.trig (one named graph per source
        document) after checking the graph against ontology/shapes.ttl (nothing is written if
        the check fails), then loads the SPARQL store OUT/store and draws the relation maps
        OUT/kg.html and OUT/views/; the summary lists each output written. PATHS may be files, folders (searched recursively for .txt, .md,
        .html, .docx and .pdf) or - for stdin. A rebuild works incrementally from OUT/cache:
        it reads and extracts only new or changed files, redraws only their graphs (the
        others are copied from the previous files), updates the SPARQL store in place, and
        does nothing if nothing changed.

        \b
        Example:
            ftz-kg build seeds --out out
            ftz-kg build ../shared/corpus --out out/corpus --jobs 2
        """
        from ..build.outputs import build_summary
        from ..build.run import build as run_build

        result = run_build(
            paths or ("seeds",),
            out_dir,
            strict=strict,
            engine=engine,
            jobs=jobs,
            cache=not no_cache,
        )
        click.echo(build_summary(result))

    @group.command()
    @click.option(
        "--data", type=click.Path(), default=None, help="Graph file to check (default: OUT/kg.ttl)."
    )
    @out_option()
    @handle_errors
    def validate(data: str | None, out_dir: str) -> None:
        """Check a built graph against the SHACL shapes in ontology/shapes.ttl.

        Exits 0 when the graph conforms, 1 with a readable report when it does not.

        \b
        Example:
            ftz-kg validate --data out/kg.ttl
        """
        from ..rdf.export import graph_file, load_graph
        from ..rdf.graph import load_ontology
        from ..rdf.validate import validate_graph

        graph = load_graph(graph_file(data, out_dir))
        report = validate_graph(graph, load_ontology())
        click.echo(report.summary())
        if not report.conforms:
            sys.exit(1)

    @group.command()
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(RDF_FORMATS + NETWORK_FORMATS),
        default="ttl",
        show_default=True,
    )
    @click.option(
        "--data",
        type=click.Path(),
        default=None,
        help="Graph to export (default: the last build in OUT).",
    )
    @click.option(
        "-o",
        "--output",
        default="-",
        show_default=True,
        help="File (or folder, for csv) to write, or - for stdout.",
    )
    @out_option()
    @handle_errors
    def export(fmt: str, data: str | None, output: str, out_dir: str) -> None:
        """Export the graph as RDF (ttl, nt, nq, trig, jsonld, xml) or as a network (graphml, gexf, csv).

        Quad formats (nq, trig) keep one named graph per source document. Network formats are
        for Gephi and spreadsheets: csv writes nodes.csv and edges.csv into the OUTPUT folder.

        \b
        Example:
            ftz-kg export --format jsonld -o out/kg.jsonld
            ftz-kg export --format graphml -o out/kg.graphml
        """
        from ..rdf.export import export as run_export
        from ..rdf.serialize import write_atomic

        if fmt in NETWORK_FORMATS:
            from ..views.formats import export_network

            for path in export_network(fmt, data, out_dir, output):
                click.echo(f"wrote {path}", err=True)
            return
        data_bytes = run_export(fmt, data, out_dir)
        if output == "-":
            click.echo(data_bytes.decode("utf-8"), nl=False)
        else:
            write_atomic(Path(output), data_bytes)
            click.echo(f"wrote {output} ({len(data_bytes)} bytes)", err=True)
