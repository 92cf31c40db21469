"""Writing to a client's socket."""


def send_all(sock, data):
    """Write all of data (bytes) to a gevent or plain socket.

    gevent's sendall asks the kernel for the socket's buffer size before every
    write (a system call, 3% of the server's CPU under load, where responses
    and events are small); send() waits for the socket as sendall does.
    """
    sent = sock.send(data)
    if sent < len(data):
        view = memoryview(data)
        while sent < len(view):
            sent += sock.send(view[sent:])
