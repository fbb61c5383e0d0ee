package org.vmemsim.util;

/** The kernel error numbers vmemsim returns, with their Linux values. */
public enum Errno {
    EPERM(1),
    EINTR(4),
    ENXIO(6),
    E2BIG(7),
    ENOMEM(12),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    ENODEV(19),
    EINVAL(22),
    ENOSPC(28),
    ERANGE(34),
    EOPNOTSUPP(95);

    public final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The negative return value, as a kernel function returns it ({@code -ENOMEM}). */
    public int neg() {
        return -value;
    }

    /** Looks up a negative or positive errno value; null for 0 or unknown values. */
    public static Errno of(int ret) {
        int v = Math.abs(ret);
        for (Errno e : values()) {
            if (e.value == v) {
                return e;
            }
        }
        return null;
    }

    /** "-ENOMEM" for -12, "ok" for 0. */
    public static String name(int ret) {
        if (ret == 0) {
            return "ok";
        }
        Errno e = of(ret);
        return e == null ? Integer.toString(ret) : "-" + e.name();
    }
}
