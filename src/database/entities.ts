import { Commune } from '../directory/commune.entity';
import { Community } from '../directory/community.entity';
import { Practice } from '../directory/practice.entity';
import { Practitioner } from '../directory/practitioner.entity';
import { Slot } from '../slots/slot.entity';
import { SlotTemplate } from '../slots/slot-template.entity';
import { Booking } from '../bookings/booking.entity';

export const ENTITIES = [Commune, Community, Practice, Practitioner, Slot, SlotTemplate, Booking];
