/* Optional C accelerator for the sans-I/O WebSocket core.
 *
 * mask(data, key) -> bytes
 *     XOR data with the repeated 4-byte key (RFC 6455 section 5.3).
 * encode_masked_frame(first_byte, payload, key) -> bytes
 *     A complete client frame (RFC 6455 section 5.2): header with the MASK bit
 *     and the minimal length encoding, the key, then the masked payload, built
 *     in a single allocation.
 * encode_client_frame(first_byte, payload) -> bytes
 *     The same with a fresh key from a pool of os.urandom bytes (refilled
 *     4 KiB at a time); random_key() hands out such a key on its own.
 *
 * The receive side has its own comments below: scan_frames (the run of simple
 * frames), payload_buffer/fill/fill_unmask/payload_view (large payloads
 * collected in their final bytes, or read in place) and utf8_check
 * (fail-fast UTF-8 for a text frame still arriving).
 *
 * The XOR runs eight bytes at a time over the aligned middle of the buffer;
 * memcpy is used for the loads and stores so the code is alignment- and
 * strict-aliasing-clean and compilers turn it into vector instructions.
 * mask.py falls back to pure Python when this module is missing.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <structmember.h>

static void
xor_mask(unsigned char *dst, const unsigned char *src, Py_ssize_t n, const unsigned char key[4])
{
    uint32_t k32;
    uint64_t k64;
    Py_ssize_t i = 0;

    memcpy(&k32, key, 4);
    k64 = ((uint64_t)k32 << 32) | k32;
    for (; i + 32 <= n; i += 32) {
        uint64_t a, b, c, d;
        memcpy(&a, src + i, 8);
        memcpy(&b, src + i + 8, 8);
        memcpy(&c, src + i + 16, 8);
        memcpy(&d, src + i + 24, 8);
        a ^= k64; b ^= k64; c ^= k64; d ^= k64;
        memcpy(dst + i, &a, 8);
        memcpy(dst + i + 8, &b, 8);
        memcpy(dst + i + 16, &c, 8);
        memcpy(dst + i + 24, &d, 8);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t a;
        memcpy(&a, src + i, 8);
        a ^= k64;
        memcpy(dst + i, &a, 8);
    }
    /* i is a multiple of 8 here, so the key phase is i % 4 == 0. */
    for (; i < n; i++) {
        dst[i] = src[i] ^ key[i & 3];
    }
}

static int
get_key(PyObject *obj, unsigned char key[4])
{
    Py_buffer kb;
    if (PyObject_GetBuffer(obj, &kb, PyBUF_SIMPLE) < 0) {
        return -1;
    }
    if (kb.len != 4) {
        PyBuffer_Release(&kb);
        PyErr_SetString(PyExc_ValueError, "masking key must be exactly 4 bytes");
        return -1;
    }
    memcpy(key, kb.buf, 4);
    PyBuffer_Release(&kb);
    return 0;
}

static PyObject *
speedups_mask(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer data;
    unsigned char key[4];
    PyObject *result;

    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "mask(data, key) takes exactly 2 arguments");
        return NULL;
    }
    if (get_key(args[1], key) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[0], &data, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    result = PyBytes_FromStringAndSize(NULL, data.len);
    if (result != NULL) {
        Py_BEGIN_ALLOW_THREADS
        xor_mask((unsigned char *)PyBytes_AS_STRING(result), (const unsigned char *)data.buf,
                 data.len, key);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&data);
    return result;
}

/* RFC 6455 5.2: a masked client frame header is 2, 4 or 10 bytes of first byte and
 * length (always the minimal encoding), then the 4-byte masking key. */
static inline Py_ssize_t
masked_header_length(Py_ssize_t n)
{
    return n < 126 ? 2 : (n < 0x10000 ? 4 : 10);
}

/* Write the header (hlen bytes from masked_header_length) and the key at out. */
static void
write_masked_header(unsigned char *out, long first, Py_ssize_t n, Py_ssize_t hlen,
                    const unsigned char key[4])
{
    out[0] = (unsigned char)first;
    if (hlen == 2) {
        out[1] = (unsigned char)(0x80 | n);
    } else if (hlen == 4) {
        out[1] = 0xFE;
        out[2] = (unsigned char)(n >> 8);
        out[3] = (unsigned char)n;
    } else {
        uint64_t len = (uint64_t)n;
        int i;
        out[1] = 0xFF;
        for (i = 0; i < 8; i++) {
            out[2 + i] = (unsigned char)(len >> (56 - 8 * i));
        }
    }
    memcpy(out + hlen, key, 4);
}

static PyObject *
build_frame(long first, PyObject *payload_obj, const unsigned char key[4])
{
    Py_buffer payload;
    Py_ssize_t n, hlen;
    unsigned char *out;
    PyObject *result;

    if (first < 0 || first > 255) {
        PyErr_SetString(PyExc_ValueError, "first_byte must be in 0..255");
        return NULL;
    }
    if (PyObject_GetBuffer(payload_obj, &payload, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    n = payload.len;
    hlen = masked_header_length(n);
    result = PyBytes_FromStringAndSize(NULL, hlen + 4 + n);
    if (result == NULL) {
        PyBuffer_Release(&payload);
        return NULL;
    }
    out = (unsigned char *)PyBytes_AS_STRING(result);
    write_masked_header(out, first, n, hlen, key);
    if (n > 65536) {
        Py_BEGIN_ALLOW_THREADS
        xor_mask(out + hlen + 4, (const unsigned char *)payload.buf, n, key);
        Py_END_ALLOW_THREADS
    } else {
        xor_mask(out + hlen + 4, (const unsigned char *)payload.buf, n, key);
    }
    PyBuffer_Release(&payload);
    return result;
}

static PyObject *
speedups_encode_masked_frame(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned char key[4];
    long first;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError,
                        "encode_masked_frame(first_byte, payload, key) takes exactly 3 arguments");
        return NULL;
    }
    first = PyLong_AsLong(args[0]);
    if (first == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (get_key(args[2], key) < 0) {
        return NULL;
    }
    return build_frame(first, args[1], key);
}

/* Masking keys: a pool of os.urandom bytes handed out four at a time, refilled
 * (by calling os.urandom, so the platform's CSPRNG is used) when it runs dry.
 * The pool lives under the GIL; mask.py empties it in a forked child. */
#define KEY_POOL_SIZE 4096
static unsigned char key_pool[KEY_POOL_SIZE];
static Py_ssize_t key_pool_pos = KEY_POOL_SIZE;
static PyObject *urandom_func = NULL;

static int
next_key(unsigned char key[4])
{
    if (key_pool_pos >= KEY_POOL_SIZE) {
        PyObject *fresh;
        if (urandom_func == NULL) {
            PyObject *os_module = PyImport_ImportModule("os");
            if (os_module == NULL) {
                return -1;
            }
            urandom_func = PyObject_GetAttrString(os_module, "urandom");
            Py_DECREF(os_module);
            if (urandom_func == NULL) {
                return -1;
            }
        }
        fresh = PyObject_CallFunction(urandom_func, "n", (Py_ssize_t)KEY_POOL_SIZE);
        if (fresh == NULL) {
            return -1;
        }
        if (!PyBytes_Check(fresh) || PyBytes_GET_SIZE(fresh) != KEY_POOL_SIZE) {
            Py_DECREF(fresh);
            PyErr_SetString(PyExc_RuntimeError, "os.urandom returned an unexpected value");
            return -1;
        }
        memcpy(key_pool, PyBytes_AS_STRING(fresh), KEY_POOL_SIZE);
        Py_DECREF(fresh);
        key_pool_pos = 0;
    }
    memcpy(key, key_pool + key_pool_pos, 4);
    /* Never hand the same bytes out twice. */
    memset(key_pool + key_pool_pos, 0, 4);
    key_pool_pos += 4;
    return 0;
}

static PyObject *
speedups_encode_client_frame(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned char key[4];
    long first;

    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "encode_client_frame(first_byte, payload) takes exactly 2 arguments");
        return NULL;
    }
    first = PyLong_AsLong(args[0]);
    if (first == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (next_key(key) < 0) {
        return NULL;
    }
    return build_frame(first, args[1], key);
}

/* encode_client_frame_into(buf, first_byte, payload) -> int
 *     encode_client_frame written into the bytearray buf (grown when too small,
 *     never shrunk) instead of a new bytes object; returns the frame's length.
 *     The driver keeps one such buffer per bulk-sending channel: a 1 MiB message
 *     then costs no 1 MiB allocation, which glibc would trim back to the kernel
 *     and fault in again (256 page faults) message after message.  The caller
 *     must not reuse a buffer the socket has not finished with (growing one that
 *     still has views exported fails with BufferError, a last line of defence). */
static PyObject *
speedups_encode_client_frame_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned char key[4];
    long first;
    Py_buffer payload;
    Py_ssize_t n, hlen, total;
    unsigned char *out;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError,
                        "encode_client_frame_into(buf, first_byte, payload) takes exactly 3 arguments");
        return NULL;
    }
    if (!PyByteArray_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "encode_client_frame_into() writes into a bytearray");
        return NULL;
    }
    first = PyLong_AsLong(args[1]);
    if (first == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (first < 0 || first > 255) {
        PyErr_SetString(PyExc_ValueError, "first_byte must be in 0..255");
        return NULL;
    }
    if (PyObject_GetBuffer(args[2], &payload, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    n = payload.len;
    hlen = masked_header_length(n);
    total = hlen + 4 + n;
    if (PyByteArray_GET_SIZE(args[0]) < total && PyByteArray_Resize(args[0], total) < 0) {
        PyBuffer_Release(&payload);
        return NULL;
    }
    if (next_key(key) < 0) {
        PyBuffer_Release(&payload);
        return NULL;
    }
    out = (unsigned char *)PyByteArray_AS_STRING(args[0]);
    write_masked_header(out, first, n, hlen, key);
    /* The GIL stays held: releasing it would let another thread resize buf under us. */
    xor_mask(out + hlen + 4, (const unsigned char *)payload.buf, n, key);
    PyBuffer_Release(&payload);
    return PyLong_FromSsize_t(total);
}

static PyObject *
speedups_random_key(PyObject *self, PyObject *unused)
{
    unsigned char key[4];
    if (next_key(key) < 0) {
        return NULL;
    }
    return PyBytes_FromStringAndSize((const char *)key, 4);
}

static PyObject *
speedups_discard_key_pool(PyObject *self, PyObject *unused)
{
    memset(key_pool, 0, sizeof key_pool);
    key_pool_pos = KEY_POOL_SIZE;
    Py_RETURN_NONE;
}

/* The receive fast path (RFC 6455 section 5.2) for connection.py.
 *
 * scan_frames(src, pos, limit, events) -> int
 *     Starting at offset pos of the bytes object src, decode consecutive
 *     complete, unmasked, unfragmented text (0x81) and binary (0x82) frames
 *     without RSV bits, with minimal lengths and payloads of at most limit
 *     bytes, appending a TextMessage / BinaryMessage for each to the list
 *     events.  Stops at the first frame that is anything else (incomplete,
 *     control, fragmented, compressed, invalid, invalid UTF-8, ...) and returns
 *     its offset: the Python loop handles that frame, with all the checks, and
 *     calls back.  It never raises for bad input; it only declines it.
 *
 * The event objects are built directly: set_event_types() is given the two
 * slotted classes and records the offset of their "data" slot, after checking
 * that the slot is a plain object member defined by that class and that the
 * class has no __dict__; constructing them then costs one allocation, as for
 * a tuple.  If the check fails, set_event_types raises and connection.py
 * keeps to the pure-Python loop. */
static PyTypeObject *event_types[2] = {NULL, NULL};
static Py_ssize_t event_offsets[2] = {0, 0};

static int
register_event_type(PyObject *cls, int index)
{
    PyObject *descr;
    PyMemberDef *member;

    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "event types must be classes");
        return -1;
    }
    descr = PyDict_GetItemString(((PyTypeObject *)cls)->tp_dict, "data");
    if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_SetString(PyExc_TypeError, "event type has no 'data' slot");
        return -1;
    }
    member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX || (member->flags & READONLY) || member->offset <= 0 ||
        (Py_ssize_t)(member->offset + sizeof(PyObject *)) > ((PyTypeObject *)cls)->tp_basicsize ||
        ((PyTypeObject *)cls)->tp_dictoffset != 0 || ((PyTypeObject *)cls)->tp_itemsize != 0) {
        PyErr_SetString(PyExc_TypeError, "event type layout not supported");
        return -1;
    }
    Py_INCREF(cls);
    Py_XSETREF(event_types[index], (PyTypeObject *)cls);
    event_offsets[index] = member->offset;
    return 0;
}

static PyObject *
speedups_set_event_types(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "set_event_types(text_type, binary_type) takes 2 arguments");
        return NULL;
    }
    if (register_event_type(args[0], 0) < 0 || register_event_type(args[1], 1) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
make_event(int index, PyObject *payload)
{
    PyTypeObject *type = event_types[index];
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj == NULL) {
        Py_DECREF(payload);
        return NULL;
    }
    *(PyObject **)((char *)obj + event_offsets[index]) = payload; /* steals the reference */
    return obj;
}

static PyObject *
speedups_scan_frames(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *src, *events;
    const unsigned char *p;
    Py_ssize_t n, pos, limit;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "scan_frames(src, pos, limit, events) takes 4 arguments");
        return NULL;
    }
    src = args[0];
    events = args[3];
    if (!PyBytes_CheckExact(src) || !PyList_CheckExact(events)) {
        PyErr_SetString(PyExc_TypeError, "scan_frames needs a bytes source and a list");
        return NULL;
    }
    if (event_types[0] == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_event_types() was not called");
        return NULL;
    }
    pos = PyLong_AsSsize_t(args[1]);
    if (pos == -1 && PyErr_Occurred()) {
        return NULL;
    }
    limit = PyLong_AsSsize_t(args[2]);
    if (limit == -1 && PyErr_Occurred()) {
        return NULL;
    }
    p = (const unsigned char *)PyBytes_AS_STRING(src);
    n = PyBytes_GET_SIZE(src);
    if (pos < 0 || pos > n) {
        PyErr_SetString(PyExc_ValueError, "pos out of range");
        return NULL;
    }
    while (n - pos >= 2) {
        unsigned char b0 = p[pos], b1 = p[pos + 1];
        Py_ssize_t start;
        uint64_t len;
        PyObject *payload, *event;
        int index;

        if (b0 == 0x81) {
            index = 0;
        } else if (b0 == 0x82) {
            index = 1;
        } else {
            break;
        }
        if (b1 < 126) {
            len = b1;
            start = pos + 2;
        } else if (b1 == 126) {
            if (n - pos < 4) {
                break;
            }
            len = ((uint64_t)p[pos + 2] << 8) | p[pos + 3];
            if (len < 126) {
                break;
            }
            start = pos + 4;
        } else if (b1 == 127) {
            int i;
            if (n - pos < 10) {
                break;
            }
            len = 0;
            for (i = 0; i < 8; i++) {
                len = (len << 8) | p[pos + 2 + i];
            }
            if ((len >> 63) || len < 0x10000) {
                break;
            }
            start = pos + 10;
        } else {
            break; /* masked: the Python loop reports it */
        }
        if (limit < 0 || len > (uint64_t)limit || len > (uint64_t)(n - start)) {
            break;
        }
        if (index == 0) {
            payload = PyUnicode_DecodeUTF8((const char *)p + start, (Py_ssize_t)len, NULL);
            if (payload == NULL) {
                if (PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
                    PyErr_Clear();
                    break; /* the Python loop fails the connection with 1007 */
                }
                return NULL;
            }
        } else {
            payload = PyBytes_FromStringAndSize((const char *)p + start, (Py_ssize_t)len);
            if (payload == NULL) {
                return NULL;
            }
        }
        event = make_event(index, payload);
        if (event == NULL) {
            return NULL;
        }
        if (PyList_Append(events, event) < 0) {
            Py_DECREF(event);
            return NULL;
        }
        Py_DECREF(event);
        pos = start + (Py_ssize_t)len;
    }
    return PyLong_FromSsize_t(pos);
}

/* Large payloads (connection.py): the payload of a big frame is written straight
 * into its final bytes object as the chunks arrive, so a 1 MiB message costs one
 * allocation and one copy whatever the read size, and the caller may pass views
 * of a reused receive buffer.
 *
 * payload_buffer(n) -> bytes
 *     A new, uninitialised bytes object of length n.  Only connection.py holds
 *     it until it is completely filled; then it is an ordinary bytes object.
 * fill(dst, offset, src) -> int
 *     Copy the buffer src into dst at offset; returns offset + len(src).
 *     (fill_unmask, below, does the same for a masked payload.) */
static PyObject *
speedups_payload_buffer(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "negative size");
        return NULL;
    }
    return PyBytes_FromStringAndSize(NULL, n);
}

static PyObject *
speedups_fill(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer src;
    Py_ssize_t offset, size;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fill(dst, offset, src) takes exactly 3 arguments");
        return NULL;
    }
    if (!PyBytes_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "fill() needs a bytes destination from payload_buffer()");
        return NULL;
    }
    offset = PyLong_AsSsize_t(args[1]);
    if (offset == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[2], &src, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    size = PyBytes_GET_SIZE(args[0]);
    if (offset < 0 || src.len > size - offset) {
        PyBuffer_Release(&src);
        PyErr_SetString(PyExc_ValueError, "fill() past the end of the payload buffer");
        return NULL;
    }
    memcpy(PyBytes_AS_STRING(args[0]) + offset, src.buf, (size_t)src.len);
    offset += src.len;
    PyBuffer_Release(&src);
    return PyLong_FromSsize_t(offset);
}

/* fill_unmask(dst, offset, src, key) -> int
 *     fill() for a masked payload (the server role): src is the piece of the
 *     payload that starts offset bytes into it, so it is XORed with the key
 *     rotated by offset (RFC 6455 section 5.3: byte i uses key[i % 4]) on its
 *     way into dst -- one pass, no intermediate unmasked copy. */
static PyObject *
speedups_fill_unmask(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer src;
    Py_ssize_t offset, size;
    unsigned char key[4], rotated[4];
    int i;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "fill_unmask(dst, offset, src, key) takes exactly 4 arguments");
        return NULL;
    }
    if (!PyBytes_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "fill_unmask() needs a bytes destination from payload_buffer()");
        return NULL;
    }
    offset = PyLong_AsSsize_t(args[1]);
    if (offset == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (get_key(args[3], key) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[2], &src, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    size = PyBytes_GET_SIZE(args[0]);
    if (offset < 0 || src.len > size - offset) {
        PyBuffer_Release(&src);
        PyErr_SetString(PyExc_ValueError, "fill_unmask() past the end of the payload buffer");
        return NULL;
    }
    for (i = 0; i < 4; i++) {
        rotated[i] = key[(offset + i) & 3];
    }
    xor_mask((unsigned char *)PyBytes_AS_STRING(args[0]) + offset, (const unsigned char *)src.buf, src.len,
             rotated);
    offset += src.len;
    PyBuffer_Release(&src);
    return PyLong_FromSsize_t(offset);
}

/* payload_view(dst, offset, length) -> memoryview
 *     A writable view of dst[offset:offset + length], where dst comes from
 *     payload_buffer() and is still being filled: the driver can recv_into() the
 *     rest of a large frame's payload straight into its final bytes object (no
 *     read buffer, no copy).  The view holds a reference to dst (through a small
 *     exporter object), so it can never point into freed memory; connection.py
 *     hands it out only while dst is private to it, and the driver releases it
 *     right after the read. */
typedef struct {
    PyObject_HEAD
    PyObject *dst;
    Py_ssize_t offset;
    Py_ssize_t length;
} PayloadSpan;

static int
span_getbuffer(PyObject *obj, Py_buffer *view, int flags)
{
    PayloadSpan *self = (PayloadSpan *)obj;
    return PyBuffer_FillInfo(view, obj, PyBytes_AS_STRING(self->dst) + self->offset, self->length, 0, flags);
}

static void
span_dealloc(PyObject *obj)
{
    PayloadSpan *self = (PayloadSpan *)obj;
    Py_XDECREF(self->dst);
    Py_TYPE(obj)->tp_free(obj);
}

static PyBufferProcs span_as_buffer = {span_getbuffer, NULL};

static PyTypeObject PayloadSpanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_speedups.PayloadSpan",
    .tp_basicsize = sizeof(PayloadSpan),
    .tp_dealloc = span_dealloc,
    .tp_as_buffer = &span_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A writable window on a payload_buffer() (private to connection.py).",
};

static PyObject *
speedups_payload_view(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t offset, length;
    PayloadSpan *span;
    PyObject *view;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "payload_view(dst, offset, length) takes exactly 3 arguments");
        return NULL;
    }
    if (!PyBytes_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "payload_view() needs a bytes object from payload_buffer()");
        return NULL;
    }
    offset = PyLong_AsSsize_t(args[1]);
    if (offset == -1 && PyErr_Occurred()) {
        return NULL;
    }
    length = PyLong_AsSsize_t(args[2]);
    if (length == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (offset < 0 || length < 0 || length > PyBytes_GET_SIZE(args[0]) - offset) {
        PyErr_SetString(PyExc_ValueError, "payload_view() past the end of the payload buffer");
        return NULL;
    }
    if (PayloadSpanType.tp_flags & Py_TPFLAGS_READY) {
        /* already initialised */
    } else if (PyType_Ready(&PayloadSpanType) < 0) {
        return NULL;
    }
    span = PyObject_New(PayloadSpan, &PayloadSpanType);
    if (span == NULL) {
        return NULL;
    }
    Py_INCREF(args[0]);
    span->dst = args[0];
    span->offset = offset;
    span->length = length;
    view = PyMemoryView_FromObject((PyObject *)span);
    Py_DECREF(span);
    return view;
}

/* Fail-fast UTF-8 for text frames whose payload is still arriving (connection.py).
 *
 * utf8_check(state, data) -> int
 *     Continue checking that the bytes seen so far are a prefix of valid UTF-8
 *     (RFC 3629 section 4): state is 0 at a character boundary, or what an
 *     earlier call returned.  Returns the state after data, or -1 as soon as
 *     a byte cannot continue any valid sequence (an overlong form, a
 *     surrogate, a code point above U+10FFFF, a stray continuation byte).  An
 *     unfinished sequence at the end of data is not an error: the caller
 *     decides when the text has ended.  No text object is built, so a 1 MiB
 *     frame read in place costs a pass over its bytes and nothing else.
 *
 * The state packs the number of continuation bytes still expected (bits
 * 0-1) with the range the next one must fall in (bits 8-15: lowest, bits
 * 16-23: highest); the ranges are RFC 3629's, which is what rules out the
 * overlong, surrogate and out-of-range forms at their second byte. */
static long
utf8_advance(long state, const unsigned char *p, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    unsigned int need = (unsigned int)(state & 3);
    unsigned int lo = (unsigned int)((state >> 8) & 0xFF), hi = (unsigned int)((state >> 16) & 0xFF);

    while (i < n) {
        unsigned int c = p[i];
        if (need) {
            if (c < lo || c > hi) {
                return -1;
            }
            need--;
            lo = 0x80;
            hi = 0xBF;
            i++;
            continue;
        }
        if (c < 0x80) {
            /* ASCII: skip eight bytes at a time while none has its top bit set. */
            i++;
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if (w & UINT64_C(0x8080808080808080)) {
                    break;
                }
                i += 8;
            }
            continue;
        }
        lo = 0x80;
        hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) {
                lo = 0xA0; /* no overlong three-byte forms */
            } else if (c == 0xED) {
                hi = 0x9F; /* no surrogates */
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) {
                lo = 0x90; /* no overlong four-byte forms */
            } else if (c == 0xF4) {
                hi = 0x8F; /* nothing above U+10FFFF */
            }
        } else {
            return -1; /* 80-C1 (continuation or overlong lead) and F5-FF never start a sequence */
        }
        i++;
    }
    return need ? (long)(need | (lo << 8) | (hi << 16)) : 0;
}

static PyObject *
speedups_utf8_check(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer data;
    long state;

    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "utf8_check(state, data) takes exactly 2 arguments");
        return NULL;
    }
    state = PyLong_AsLong(args[0]);
    if (state == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (state < 0 || (state & ~0xFFFF03L) != 0) {
        PyErr_SetString(PyExc_ValueError, "not a utf8_check() state");
        return NULL;
    }
    if (PyObject_GetBuffer(args[1], &data, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    state = utf8_advance(state, (const unsigned char *)data.buf, data.len);
    PyBuffer_Release(&data);
    return PyLong_FromLong(state);
}

static PyMethodDef speedups_methods[] = {
    {"mask", (PyCFunction)(void (*)(void))speedups_mask, METH_FASTCALL,
     "mask(data, key) -> bytes\n\nXOR data with the repeated 4-byte key (RFC 6455 section 5.3)."},
    {"encode_masked_frame", (PyCFunction)(void (*)(void))speedups_encode_masked_frame, METH_FASTCALL,
     "encode_masked_frame(first_byte, payload, key) -> bytes\n\n"
     "A complete masked client frame: header, key, masked payload (RFC 6455 section 5.2)."},
    {"encode_client_frame", (PyCFunction)(void (*)(void))speedups_encode_client_frame, METH_FASTCALL,
     "encode_client_frame(first_byte, payload) -> bytes\n\n"
     "encode_masked_frame with a fresh key from the pooled os.urandom (RFC 6455 section 5.3)."},
    {"encode_client_frame_into", (PyCFunction)(void (*)(void))speedups_encode_client_frame_into, METH_FASTCALL,
     "encode_client_frame_into(buf, first_byte, payload) -> int\n\n"
     "encode_client_frame written into the bytearray buf (grown if needed); returns the frame length."},
    {"random_key", speedups_random_key, METH_NOARGS, "random_key() -> bytes: 4 fresh masking-key bytes."},
    {"discard_key_pool", speedups_discard_key_pool, METH_NOARGS,
     "discard_key_pool(): forget the pooled random bytes (called in a forked child)."},
    {"set_event_types", (PyCFunction)(void (*)(void))speedups_set_event_types, METH_FASTCALL,
     "set_event_types(text_type, binary_type): the slotted classes scan_frames builds."},
    {"scan_frames", (PyCFunction)(void (*)(void))speedups_scan_frames, METH_FASTCALL,
     "scan_frames(src, pos, limit, events) -> int\n\n"
     "Decode consecutive simple text/binary frames from src[pos:] into events; return where it stopped."},
    {"payload_buffer", speedups_payload_buffer, METH_O,
     "payload_buffer(n) -> bytes: an uninitialised bytes object to fill() (private to connection.py)."},
    {"fill", (PyCFunction)(void (*)(void))speedups_fill, METH_FASTCALL,
     "fill(dst, offset, src) -> int: copy src into dst at offset; returns the new offset."},
    {"fill_unmask", (PyCFunction)(void (*)(void))speedups_fill_unmask, METH_FASTCALL,
     "fill_unmask(dst, offset, src, key) -> int: fill() of a masked piece, unmasked on the way in."},
    {"payload_view", (PyCFunction)(void (*)(void))speedups_payload_view, METH_FASTCALL,
     "payload_view(dst, offset, length) -> memoryview: writable window on a payload_buffer()."},
    {"utf8_check", (PyCFunction)(void (*)(void))speedups_utf8_check, METH_FASTCALL,
     "utf8_check(state, data) -> int\n\n"
     "Continue a UTF-8 prefix check (state 0 at a boundary); -1 once data cannot be valid UTF-8."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    "_speedups",
    "C accelerator for WebSocket masking (optional; mask.py has a pure-Python fallback).",
    0,
    speedups_methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&speedups_module);
}
