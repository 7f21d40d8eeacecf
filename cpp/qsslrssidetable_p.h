// qssl-rs: the state of public objects that have no room for it. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLRSSIDETABLE_P_H
#define QSSLRS_QSSLRSSIDETABLE_P_H

#include <QtCore/qglobal.h>
#include <QtCore/qreadwritelock.h>

#include <memory>
#include <unordered_map>

QT_BEGIN_NAMESPACE

namespace QSslRs {

// QSslSocket and QSslServer must keep Qt's sizeof, and their Qt bases have no slot we may use:
// their state lives here, keyed by the object, from its constructor to its destructor. Lookups
// are null-safe: an object that is not ours (made by Qt's own QtNetwork) or already destroyed is
// simply not found. The lock guards the table only; each state belongs to its object's thread.
template <typename Object, typename State>
class SideTable
{
public:
    State *find(const Object *object) const
    {
        QReadLocker locker(&lock);
        const auto it = states.find(object);
        return it == states.end() ? nullptr : it->second.get();
    }

    State *insert(const Object *object, std::unique_ptr<State> state)
    {
        QWriteLocker locker(&lock);
        return (states[object] = std::move(state)).get();
    }

    std::unique_ptr<State> take(const Object *object)
    {
        QWriteLocker locker(&lock);
        const auto it = states.find(object);
        if (it == states.end())
            return nullptr;
        std::unique_ptr<State> state = std::move(it->second);
        states.erase(it);
        return state;
    }

private:
    mutable QReadWriteLock lock;
    std::unordered_map<const Object *, std::unique_ptr<State>> states;
};

} // namespace QSslRs

QT_END_NAMESPACE

#endif
