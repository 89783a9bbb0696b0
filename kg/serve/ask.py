"""``GET /ask?q=…`` on ``ftz-kg serve``: a question answered as JSON.

The question is answered in a query worker (:func:`worker_ask`, the ``ask`` operation), on
the worker's engine: the same store, timeout, memory cap and SERVICE policy as ``/sparql``.
The reply is :meth:`kg.ask.questions.Answer.as_dict` (the kind, the entities found, the SPARQL, the
rows with their source sentences); a question that is not understood is a 400 whose JSON
says which part was not and the nearest kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response

from ..errors import QuestionError

if TYPE_CHECKING:
    from starlette.requests import Request

    from ..store.engines import StoreEngine

__all__ = ["ask_endpoint", "worker_ask"]


def worker_ask(engine: StoreEngine, request: dict[str, Any]) -> dict[str, Any]:
    """The ``ask`` operation of a query worker."""
    from ..ask.questions import ask

    try:
        answer = ask(str(request.get("question", "")), engine)
    except QuestionError as exc:
        return {
            "status": 200,
            "refused": {
                "error": exc.message,
                "code": exc.code,
                "understood": exc.understood,
                "nearest": [
                    {"kind": k.name, "title": k.title, "example": k.examples[0]}
                    for k in exc.nearest
                ],
            },
        }
    return {"status": 200, "answer": answer.as_dict()}


async def ask_endpoint(app: Any, request: Request) -> Response:
    """``GET /ask?q=QUESTION`` (``app`` is the server's state, with its worker pool)."""
    from ..ask.questions import MAX_QUESTION

    question = request.query_params.get("q", "").strip()
    if not question:
        return JSONResponse(
            {
                "error": "give the question as ?q=…, e.g. /ask?q=满洲里片区重点发展哪些产业",
                "code": QuestionError.code,
            },
            status_code=400,
        )
    if len(question) > MAX_QUESTION:
        return JSONResponse(
            {
                "error": f"the question is longer than {MAX_QUESTION} characters; ask a shorter one",
                "code": QuestionError.code,
            },
            status_code=400,
        )
    reply = await app._run({"op": "ask", "question": question})
    if isinstance(reply, Response):  # busy, timed out, no store: as /sparql says it
        return reply
    if "refused" in reply:
        return JSONResponse(reply["refused"], status_code=400)
    return JSONResponse(reply["answer"])
