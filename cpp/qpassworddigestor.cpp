// qssl-rs: QPasswordDigestor (RFC 8018 PBKDF1 and PBKDF2). Built on QtCore's hashes rather than
// the engine so that every algorithm QCryptographicHash offers works exactly as in Qt.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qpassworddigestor.h>

#include <QtCore/qdebug.h>
#include <QtCore/qendian.h>
#include <QtCore/qmessageauthenticationcode.h>

#include <limits>

QT_BEGIN_NAMESPACE

namespace QPasswordDigestor {

QByteArray deriveKeyPbkdf1(QCryptographicHash::Algorithm algorithm, const QByteArray &password,
                           const QByteArray &salt, int iterations, quint64 dkLen)
{
    // RFC 8018, section 5.1.
    if (algorithm != QCryptographicHash::Sha1 && algorithm != QCryptographicHash::Md5) {
        qWarning("The only supported algorithms for pbkdf1 are SHA-1 and MD5!");
        return {};
    }
    if (salt.size() != 8) {
        qWarning("The salt must be 8 bytes long!");
        return {};
    }
    if (iterations < 1 || dkLen < 1)
        return {};
    const int hashLength = QCryptographicHash::hashLength(algorithm);
    if (dkLen > quint64(hashLength)) {
        qWarning() << "Derived key too long:\n" << algorithm
                   << "was chosen which produces output of length" << hashLength << "but"
                   << dkLen << "was requested.";
        return {};
    }

    QByteArray key = QCryptographicHash::hash(password + salt, algorithm);
    for (int i = 1; i < iterations; ++i)
        key = QCryptographicHash::hash(key, algorithm);
    return key.left(qsizetype(dkLen));
}

QByteArray deriveKeyPbkdf2(QCryptographicHash::Algorithm algorithm, const QByteArray &password,
                           const QByteArray &salt, int iterations, quint64 dkLen)
{
    // RFC 8018, section 5.2: dkLen must not exceed (2^32 - 1) * hLen.
    const int hashLength = QCryptographicHash::hashLength(algorithm);
    const quint64 maxLength = quint64(std::numeric_limits<quint32>::max() - 1) * hashLength;
    if (dkLen > maxLength) {
        qWarning().nospace() << "Derived key too long:\n" << algorithm
                             << " was chosen which produces output of length " << maxLength
                             << " but " << dkLen << " was requested.";
        return {};
    }
    if (iterations < 1 || dkLen < 1)
        return {};

    QByteArray key;
    QMessageAuthenticationCode hmac(algorithm, password);
    char blockIndex[4];
    for (quint32 block = 1; quint64(key.size()) < dkLen; ++block) {
        qToBigEndian(block, blockIndex);
        hmac.reset();
        hmac.addData(salt);
        hmac.addData(blockIndex, sizeof blockIndex);
        QByteArray u = hmac.result();
        QByteArray t = u;
        for (int i = 1; i < iterations; ++i) {
            hmac.reset();
            hmac.addData(u);
            u = hmac.result();
            for (qsizetype j = 0; j < t.size(); ++j)
                t[j] = char(t[j] ^ u[j]);
        }
        key += t;
    }
    return key.left(qsizetype(dkLen));
}

} // namespace QPasswordDigestor

QT_END_NAMESPACE
