/**
 * Word lists for synthetic people, trainings and supervisors. Invented or very common values only:
 * no real person is described. Weights are relative, not percentages.
 */

/** Given names, a mix as varied as Wisconsin's early childhood workforce. */
// biome-ignore format: a compact word list reads better ten to a line
export const FIRST_NAMES: readonly string[] = [
  'Mary', 'Jennifer', 'Sarah', 'Jessica', 'Amanda', 'Ashley', 'Emily', 'Megan', 'Rachel', 'Laura',
  'Heather', 'Nicole', 'Amy', 'Angela', 'Melissa', 'Elizabeth', 'Rebecca', 'Kelly', 'Katie', 'Lisa',
  'Stephanie', 'Andrea', 'Erin', 'Hannah', 'Abigail', 'Olivia', 'Emma', 'Madison', 'Chloe', 'Grace',
  'Kayla', 'Brittany', 'Danielle', 'Molly', 'Natalie', 'Allison', 'Kristen', 'Julie', 'Karen', 'Susan',
  'Patricia', 'Linda', 'Barbara', 'Deborah', 'Tamika', 'Keisha', 'Aaliyah', 'Imani', 'Jasmine', 'Ebony',
  'Latoya', 'Shanice', 'Destiny', 'Maria', 'Guadalupe', 'Ana', 'Lucía', 'Sofía', 'Rosa', 'Carmen',
  'Alejandra', 'Yesenia', 'Marisol', 'José', 'Luis', 'Mai', 'Pa', 'Kia', 'Bao', 'Chia',
  'Nou', 'Yer', 'Pa Houa', 'Linh', 'Mei', 'Priya', 'Anjali', 'Min-ji', 'Fatima', 'Amina',
  'Hodan', 'Leila', 'Nadia', 'Winona', 'Dakota', 'Cheyenne', 'Autumn', 'Skye', 'Michael', 'David',
  'James', 'John', 'Robert', 'Daniel', 'Matthew', 'Andrew', 'Joshua', 'Marcus', 'Darnell', 'Tyrone',
  'Carlos', 'Miguel', 'Tou', 'Chue', 'Ahmed', 'Omar', 'Ben', 'Sam', 'Alex', 'Jordan',
  'Taylor', 'Casey', 'Morgan', 'Riley', "D'Andre", 'Anne-Marie', 'Mary Kate', 'Zoë', 'Renée', 'Brooke',
];

/** Family names: common Wisconsin names (German, Polish, Scandinavian, Irish), and Black, Latino, Hmong, Native, Somali, Asian names. */
// biome-ignore format: a compact word list reads better ten to a line
export const LAST_NAMES: readonly string[] = [
  'Schmidt', 'Mueller', 'Schultz', 'Wagner', 'Becker', 'Hoffmann', 'Krueger', 'Zimmerman', 'Wolf', 'Meyer',
  'Schneider', 'Fischer', 'Weber', 'Koch', 'Braun', 'Kowalski', 'Nowak', 'Wojcik', 'Kaminski', 'Lewandowski',
  'Olson', 'Johnson', 'Anderson', 'Peterson', 'Larson', 'Hanson', 'Nelson', 'Jensen', 'Christensen', 'Lindqvist',
  'Smith', 'Miller', 'Brown', 'Jones', 'Davis', 'Wilson', 'Moore', 'Taylor', 'Thomas', 'White',
  'Martin', 'Thompson', 'Clark', 'Lewis', 'Walker', 'Hall', 'Allen', 'Young', 'King', 'Wright',
  "O'Brien", "O'Connor", 'McCarthy', 'Murphy', 'Sullivan', 'Kelly', 'Ryan', 'Walsh', 'Fitzgerald', 'Doyle',
  'Washington', 'Jackson', 'Harris', 'Robinson', 'Williams', 'Jefferson', 'Coleman', 'Banks', 'Freeman', 'Mitchell',
  'García', 'Hernández', 'López', 'Martínez', 'Rodríguez', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres',
  'Flores', 'Rivera', 'Cruz', 'Morales', 'Ortiz', 'Gutiérrez', 'Chávez', 'Ramos', 'Vargas', 'Castillo',
  'Xiong', 'Vang', 'Yang', 'Thao', 'Lor', 'Her', 'Moua', 'Lee', 'Vue', 'Kha',
  'Cornelius', 'Skenandore', 'Doxtator', 'Denny', 'Whitewing', 'Funmaker', 'Greendeer', 'Decorah', 'Webster', 'Ninham',
  'Ali', 'Hassan', 'Mohamed', 'Ahmed', 'Abdi', 'Farah', 'Nguyen', 'Tran', 'Kim', 'Patel',
  'Singh', 'Chen', 'Wang', 'Li', 'Smith-Jones', 'García-López', 'Van Dyke', 'De La Cruz', 'St. Clair', 'Hmielewski',
];

/** Primary languages with weights: English mostly, then Spanish and Hmong, as in Wisconsin; "" is left blank. */
export const LANGUAGES: readonly (readonly [string, number])[] = [
  ['English', 82],
  ['Spanish', 7],
  ['Hmong', 2.5],
  ['Arabic', 0.4],
  ['Somali', 0.4],
  ['Chinese', 0.4],
  ['Vietnamese', 0.3],
  ['German', 0.3],
  ['Russian', 0.2],
  ['Karen', 0.2],
  ['Ho-Chunk', 0.1],
  ['Ojibwe', 0.1],
  ['American Sign Language', 0.3],
  ['', 5],
];

/** Gender as self-described on an application form; the early childhood workforce is overwhelmingly women. */
export const GENDERS: readonly (readonly [string, number])[] = [
  ['Female', 88],
  ['Male', 6],
  ['Nonbinary', 1],
  ['Prefer not to say', 1],
  ['', 4],
];

/** Sectors of employment with weights. */
export const SECTORS: readonly (readonly [string, number])[] = [
  ['Early care and education', 38],
  ['Home visiting', 15],
  ['Early intervention', 12],
  ['Mental health', 16],
  ['Child welfare', 6],
  ['Health care', 6],
  ['Higher education', 3],
  ['Policy', 2],
  ['', 2],
];

/** Kinds of employer, placed after a county or town name; some hold commas on purpose (CSV quoting). */
export const EMPLOYER_KINDS: readonly string[] = [
  'Head Start',
  'Early Head Start',
  'Birth to 3 Program',
  'Family Resource Center',
  'Child Care Center',
  'Community Mental Health Clinic',
  'Public Health Department',
  'Human Services Department',
  'School District',
  'Family Services, Inc.',
  'Children’s Clinic, LLC',
  'Home Visiting Program',
];

/** Training topics; several carry commas or quotes so that roster files exercise CSV quoting. */
export const TRAINING_TOPICS: readonly string[] = [
  'Foundations of Infant and Early Childhood Mental Health',
  'Attachment, Trauma and Repair',
  'Observation and Assessment of Infants and Toddlers',
  'Working with Families in Crisis',
  'Early Relational Health',
  'Promoting Social and Emotional Development',
  'Understanding Challenging Behavior in Toddlers',
  'Prenatal and Perinatal Mental Health',
  'Infant Sleep, Feeding and Regulation',
  'Home Visiting Essentials',
  'The "Circle of Security" Parenting Approach',
  'Child Development: Birth to Five',
  'Mandated Reporting and Child Protection Law',
  'Supporting Parents with Substance Use Disorders',
  'Developmental Screening with ASQ-3 and ASQ:SE-2',
  'Family-Centered Early Intervention',
  'Caregiver Depression and the Young Child',
  'Play-Based Intervention',
  'Ethics and Boundaries in Home-Based Work',
  'Grief and Loss in Early Childhood',
  'Consultation in Early Care Settings',
  'Diagnostic Classification: DC:0-5',
  'Co-Parenting, Separation and Custody',
  'Self-Care and Secondary Traumatic Stress',
];

/** Topics of trainings flagged `dei`. */
export const DEI_TOPICS: readonly string[] = [
  'Cultural Humility in Infant Mental Health',
  'Anti-Bias Practice with Young Children',
  'Equity, Diversity and Inclusion in Early Childhood',
  'Historical Trauma and Tribal Families',
  'Implicit Bias in Early Care and Education',
  'Serving Immigrant and Refugee Families',
];

/** Topics of trainings flagged `rsc_topic` (on providing reflective supervision/consultation). */
export const RSC_TOPICS: readonly string[] = [
  'Reflective Supervision: Foundations',
  'Providing Reflective Consultation to Teams',
  'Reflective Supervision Skills Lab',
  'Group Reflective Consultation',
  'Reflective Practice Facilitation',
];

/** Organisations that run trainings. */
export const PROVIDERS: readonly string[] = [
  'Wisconsin Alliance for Infant Mental Health',
  'Statewide Training Collaborative',
  'University Continuing Studies',
  'Regional Early Childhood Collaborative',
  'Birth to 3 Technical Assistance Network',
  'Home Visiting Learning Network',
  'Children’s Hospital Outreach',
  'County Human Services Training Unit',
  'Tribal Early Childhood Partnership',
  'Early Care and Education Resource Network',
  'Wisconsin Association for the Education of Young Children',
  'Infant Mental Health Institute, Inc.',
];

/** Licence or credential letters after an RSC provider's name (the comma makes the field need quotes). */
export const PROVIDER_CREDENTIALS: readonly string[] = ['LCSW', 'LPC', 'LMFT', 'PhD', 'PsyD', 'MSW', 'MS', 'MA'];

/** Formats of an RSC session. */
export const RSC_FORMATS: readonly (readonly [string, number])[] = [
  ['Individual', 45],
  ['Group', 25],
  ['Individual (virtual)', 20],
  ['Group (virtual)', 10],
];

/** Applicant statuses as an application system exports them. */
export const APPLICATION_STATUSES: readonly (readonly [string, number])[] = [
  ['submitted', 40],
  ['under review', 30],
  ['incomplete', 15],
  ['pending references', 10],
  ['', 5],
];

/** The 24 distinct competency codes of the crosswalk (docs/domain.md, "The competency catalog"). */
// biome-ignore format: a compact list reads better twelve to a line
export const COMPETENCY_CODES: readonly string[] = [
  '1A.1', '1A.2', '1A.3', '1B.1', '1B.2', '1B.3', '1B.4', '1C.1', '1C.2', '1C.3', '1C.4', '1D.1',
  '1D.2', '1D.3', '1D.4', '1E.1', '1E.2', '1F.1', '1F.2', '1F.3', '1F.4', '1F.5', '1G.1', '1H.1',
];
