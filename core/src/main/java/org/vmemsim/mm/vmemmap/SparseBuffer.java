package org.vmemsim.mm.vmemmap;

import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.util.U64;

/**
 * The boot-time memmap buffer of {@code mm/sparse.c} ({@code sparse_buffer_init/alloc/fini}): one
 * memblock allocation per node that the boot vmemmap population carves its blocks from, so the
 * boot memmap is physically contiguous. Only alive while {@code sparse_init} runs.
 */
public final class SparseBuffer {
    private final MmCore mm;
    private long buf = -1;
    private long bufEnd;

    public SparseBuffer(MmCore mm) {
        this.mm = mm;
    }

    /**
     * Reserves the node's buffer; when the node has no room for it (64K pages: 512 MiB per section)
     * the buffer stays empty and every block falls back to its own memblock allocation.
     *
     * @kernel mm/sparse.c: sparse_buffer_init
     */
    public void sparseBufferInit(long size, long align, int nid) {
        buf = mm.memblock.memblockAllocExactNid(size, align, nid, "sparse_buffer_init");
        bufEnd = buf == -1 ? -1 : buf + size;
    }

    /** Returns the physical address of a block of {@code size}, or -1. @kernel mm/sparse.c: sparse_buffer_alloc */
    public long sparseBufferAlloc(long size) {
        if (buf == -1) {
            return -1;
        }
        long ptr = U64.alignUp(buf, size);
        if (U64.gt(ptr + size, bufEnd)) {
            return -1;
        }
        if (ptr != buf) {
            mm.memblock.memblockPhysFree(buf, ptr - buf);
        }
        buf = ptr + size;
        return ptr;
    }

    /** @kernel mm/sparse.c: sparse_buffer_fini */
    public void sparseBufferFini() {
        if (buf != -1 && U64.lt(buf, bufEnd)) {
            mm.memblock.memblockPhysFree(buf, bufEnd - buf);
        }
        buf = -1;
    }

    public boolean active() {
        return buf != -1;
    }
}
