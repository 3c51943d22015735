"""Celery tasks: named, thin, each calling one function. Beat runs ``notifications.tick``;
``notifications.drain`` is sent after a commit that enqueued an email due now."""

from celery import shared_task

from notifications.outbox import dispatch, wakes


@shared_task(name="notifications.tick", ignore_result=True)
def tick() -> None:
    dispatch.tick()


@shared_task(name="notifications.drain", ignore_result=True)
def drain() -> None:
    wakes.wake_received()
    result = dispatch.drain()
    if result.more:
        # The budget ran out with rows left: carry on in a fresh task (other work may interleave).
        drain.apply_async()
