// SslSocket and SslServer of the QSslRs QML module, entirely in QML (run by the stock
// qmltestrunner; Certs.certs is the directory of the test certificates, written by CMake).
import QtQuick
import QtTest
import QSslRs

TestCase {
    id: testCase
    name: "SslSocket"

    function certificate(name) { return Certs.url + "/" + name }

    // An echo server: what a connection receives goes back to it.
    SslServer {
        id: echoServer
        certificate: testCase.certificate("server.pem")
        privateKey: testCase.certificate("server.key")
        listening: true
        onNewConnection: function(socket) {
            socket.binaryMessageReceived.connect(function(message) { socket.sendBinaryMessage(message) })
        }
    }

    // A server that wants client certificates signed by the test CA.
    SslServer {
        id: verifyingServer
        certificate: testCase.certificate("server.pem")
        privateKey: testCase.certificate("server.key")
        caCertificates: testCase.certificate("ca.pem")
        listening: true
        onNewConnection: function(socket) {
            socket.textMessageReceived.connect(function(message) { socket.sendTextMessage("got " + message) })
        }
    }

    // A server whose connections send two halves of UTF-8 text, split inside a character.
    SslServer {
        id: splittingServer
        certificate: testCase.certificate("server.pem")
        privateKey: testCase.certificate("server.key")
        listening: true
        onNewConnection: function(socket) {
            const bytes = new Uint8Array([0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x21]) // "hé€!"
            socket.sendBinaryMessage(bytes.slice(0, 2).buffer)
            splitTimer.socket = socket
            splitTimer.rest = bytes.slice(2).buffer
            splitTimer.start()
        }
    }
    Timer {
        id: splitTimer
        property var socket
        property var rest
        interval: 100
        onTriggered: socket.sendBinaryMessage(rest)
    }

    Component {
        id: clientComponent
        SslSocket {
            property string received: ""
            property var receivedBytes: []
            property var errors: []
            property bool ignoreErrors: false
            host: "localhost"
            onTextMessageReceived: function(message) { received += message }
            onBinaryMessageReceived: function(message) {
                receivedBytes = receivedBytes.concat(Array.from(new Uint8Array(message)))
            }
            onSslErrors: function(list) {
                errors = list
                if (ignoreErrors)
                    ignoreSslErrors()
            }
        }
    }

    function client(properties) {
        const socket = createTemporaryObject(clientComponent, testCase, properties)
        verify(socket)
        return socket
    }

    function initTestCase() {
        verify(Certs.url.length > 0)
        tryCompare(echoServer, "listening", true)
        verify(echoServer.port > 0)
        verify(verifyingServer.port > 0)
    }

    function test_trustedEcho() {
        const socket = client({ port: echoServer.port, caCertificates: certificate("ca.pem") })
        socket.active = true
        compare(socket.status, SslSocket.Connecting)
        tryCompare(socket, "status", SslSocket.Encrypted, 10000)
        compare(socket.protocol, "TLSv1.3")
        verify(socket.cipher.length > 0)
        compare(socket.peerCertificate.subject, "localhost")
        compare(socket.peerCertificate.issuer, "qssl-rs Test CA")
        verify(socket.peerCertificate.subjectAlternativeNames.indexOf("localhost") >= 0)
        verify(socket.peerCertificate.expiryDate > new Date())
        compare(socket.sendTextMessage("hello, world"), 12)
        tryCompare(socket, "received", "hello, world", 10000)
        socket.active = false
        tryCompare(socket, "status", SslSocket.Closed, 10000)
    }

    function test_untrustedRejected() {
        const socket = client({ port: echoServer.port })   // the system's roots only
        socket.active = true
        tryCompare(socket, "status", SslSocket.Error, 10000)
        verify(socket.errors.length > 0)
        verify(socket.errorString.length > 0)
        compare(socket.active, false)
    }

    function test_untrustedIgnored() {
        const socket = client({ port: echoServer.port, ignoreErrors: true })
        socket.active = true
        tryCompare(socket, "status", SslSocket.Encrypted, 10000)
        verify(socket.errors.length > 0)
        socket.sendTextMessage("still")
        tryCompare(socket, "received", "still", 10000)
    }

    function test_binary() {
        const socket = client({ port: echoServer.port, caCertificates: certificate("ca.pem") })
        socket.active = true
        tryCompare(socket, "status", SslSocket.Encrypted, 10000)
        const bytes = new Uint8Array(256)
        for (let i = 0; i < bytes.length; ++i)
            bytes[i] = i
        compare(socket.sendBinaryMessage(bytes.buffer), 256)
        tryVerify(function() { return socket.receivedBytes.length === 256 }, 10000)
        for (let i = 0; i < 256; ++i)
            compare(socket.receivedBytes[i], i)
    }

    function test_unicodeSplitAcrossRecords() {
        const socket = client({ port: splittingServer.port, caCertificates: certificate("ca.pem") })
        socket.active = true
        tryCompare(socket, "received", "hé€!", 10000)
        verify(socket.received.indexOf("\ufffd") < 0)
    }

    function test_clientCertificate() {
        const withCertificate = client({
            port: verifyingServer.port, caCertificates: certificate("ca.pem"),
            localCertificate: certificate("client.pem"), privateKey: certificate("client.key")
        })
        withCertificate.active = true
        tryCompare(withCertificate, "status", SslSocket.Encrypted, 10000)
        withCertificate.sendTextMessage("hi")
        tryCompare(withCertificate, "received", "got hi", 10000)

        const without = client({ port: verifyingServer.port, caCertificates: certificate("ca.pem") })
        without.active = true
        // The server rejects it once the handshake is done: the connection goes, with a reason.
        tryVerify(function() { return without.status === SslSocket.Error || without.status === SslSocket.Closed }, 10000)
        if (without.status === SslSocket.Error)
            verify(without.errorString.length > 0)
    }

    function test_activeToggled() {
        const socket = client({ port: echoServer.port, caCertificates: certificate("ca.pem") })
        for (let i = 0; i < 5; ++i) {
            socket.active = true
            tryCompare(socket, "status", SslSocket.Encrypted, 10000)
            socket.active = false
            tryCompare(socket, "status", SslSocket.Closed, 10000)
        }
        socket.active = true
        tryCompare(socket, "status", SslSocket.Encrypted, 10000)
        socket.sendTextMessage("again")
        tryCompare(socket, "received", "again", 10000)
    }

    function test_connectionRefused() {
        const socket = client({ port: 1, caCertificates: certificate("ca.pem") })
        socket.active = true
        tryCompare(socket, "status", SslSocket.Error, 10000)
        verify(socket.errorString.length > 0)
    }

    function test_serverClosesMidHandshake() {
        if (typeof closingServerPort === "undefined")
            skip("needs a server only the C++ runner (tst_qml_static) makes")
        const socket = client({ port: closingServerPort, caCertificates: certificate("ca.pem") })
        socket.active = true
        tryCompare(socket, "status", SslSocket.Error, 10000)
        verify(socket.errorString.length > 0)
        compare(socket.active, false)
    }

    function test_badFiles() {
        const socket = client({ port: echoServer.port, caCertificates: certificate("no-such-file.pem") })
        socket.active = true
        tryCompare(socket, "status", SslSocket.Error, 10000)
        verify(socket.errorString.indexOf("no-such-file.pem") >= 0)
    }

    function test_serverWithoutKey() {
        const server = createTemporaryQmlObject(
            "import QSslRs; SslServer { certificate: \"" + certificate("server.pem") + "\" }", testCase)
        server.listening = true
        tryVerify(function() { return server.errorString.length > 0 }, 10000)
        compare(server.listening, false)
    }
}
