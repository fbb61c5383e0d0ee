package org.vmemsim.mm.alloc;

/**
 * Zones modelled per node. ZONE_DMA/ZONE_DMA32 are folded into NORMAL: nothing vmemsim reports
 * depends on the DMA limits, and kernel allocations in the paths modelled here may use any of them.
 */
public enum ZoneType {
    NORMAL("Normal"), MOVABLE("Movable"), DEVICE("Device");

    public final String label;

    ZoneType(String label) {
        this.label = label;
    }
}
