"""api.sockets.send_all: every byte written, in order, however little each send takes."""
from api.sockets import send_all


class _Trickle:
    """A socket that takes at most `step` bytes per send."""

    def __init__(self, step):
        self.step, self.got = step, bytearray()

    def send(self, data):
        taken = bytes(data[:self.step])
        self.got += taken
        return len(taken)


def test_send_all_writes_everything_when_sends_are_partial():
    data = bytes(range(256)) * 40
    for step in (1, 7, 4096, len(data)):
        sock = _Trickle(step)
        send_all(sock, data)
        assert bytes(sock.got) == data
