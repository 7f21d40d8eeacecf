// qmlchat: a QML client of sslechoserver on the QSslRs module (SslSocket), QtQuick only.
// Run it with scripts/qmlchat.sh (see main.cpp for its arguments).
import QtQuick
import QtQuick.Window
import QSslRs

Window {
    id: window
    width: 560
    height: 420
    visible: true
    readonly property bool smoke: Qt.application.arguments.indexOf("--smoke") >= 0
    title: "qmlchat - " + socket.host + ":" + socket.port + " (" + statusText() + ")"

    // --host H --port N --ca FILE on the command line.
    function argument(name, fallback) {
        const args = Qt.application.arguments
        const at = args.indexOf(name)
        return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback
    }

    function statusText() {
        switch (socket.status) {
        case SslSocket.Connecting: return "connecting"
        case SslSocket.Encrypted: return socket.protocol + ", " + socket.cipher
        case SslSocket.Closing: return "closing"
        case SslSocket.Error: return "error: " + socket.errorString
        default: return "closed"
        }
    }

    function log(line) {
        messages.append({ "line": line })
        logView.positionViewAtEnd()
    }

    SslSocket {
        id: socket
        host: window.argument("--host", "localhost")
        port: parseInt(window.argument("--port", "4433"))
        caCertificates: {
            const ca = window.argument("--ca", "")
            return ca ? "file://" + ca : ""
        }
        onStatusChanged: {
            if (status === SslSocket.Encrypted) {
                window.log("* connected to " + peerCertificate.subject + " (issued by " + peerCertificate.issuer + ")")
                if (window.smoke)
                    sendTextMessage("hello from qmlchat\n")
            } else if (status === SslSocket.Error) {
                window.log("* " + errorString)
                if (window.smoke)
                    Qt.exit(1)
            } else if (status === SslSocket.Closed) {
                window.log("* closed")
            }
        }
        onTextMessageReceived: (message) => {
            window.log("< " + message.trim())
            if (window.smoke && message.indexOf("hello from qmlchat") >= 0)
                Qt.exit(0)
        }
        onSslErrors: (errors) => window.log("* certificate rejected: " + errors.join("; "))
    }

    ListModel { id: messages }

    Column {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 6

        Row {
            spacing: 8
            Rectangle {
                width: 120; height: 28; color: socket.active ? "#c8e6c9" : "#eeeeee"; radius: 4
                Text { anchors.centerIn: parent; text: socket.active ? "Disconnect" : "Connect" }
                MouseArea { anchors.fill: parent; onClicked: socket.active = !socket.active }
            }
            Text { anchors.verticalCenter: parent.verticalCenter; text: window.statusText() }
        }

        Rectangle {
            width: parent.width
            height: parent.height - 80
            border.color: "#bbbbbb"
            ListView {
                id: logView
                anchors.fill: parent
                anchors.margins: 4
                clip: true
                model: messages
                delegate: Text { text: line; font.family: "monospace" }
            }
        }

        Rectangle {
            width: parent.width
            height: 30
            border.color: "#888888"
            TextInput {
                id: input
                anchors.fill: parent
                anchors.margins: 6
                focus: true
                onAccepted: {
                    if (text.length === 0)
                        return
                    if (socket.sendTextMessage(text + "\n") >= 0)
                        window.log("> " + text)
                    text = ""
                }
            }
        }
    }

    Component.onCompleted: socket.active = true
}
